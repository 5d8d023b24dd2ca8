using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>The services of the OpenAI-compatible endpoint.</summary>
public static class OpenAiRegistration
{
    public static IServiceCollection AddOpenAiDialect(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenAiOptions>().Bind(configuration.GetSection(OpenAiOptions.Section));
        Hosting.ServiceRegistration.Check<OpenAiOptions>(services, OpenAiOptions.Section, o => o.Validate());
        return services;
    }
}
