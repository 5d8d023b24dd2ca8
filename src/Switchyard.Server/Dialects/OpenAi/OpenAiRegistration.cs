using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>The services of the OpenAI-compatible endpoint.</summary>
public static class OpenAiRegistration
{
    public static IServiceCollection AddOpenAiDialect(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenAiOptions>()
            .Bind(configuration.GetSection(OpenAiOptions.Section))
            .Validate(o => o.Validate().Count == 0, "OpenAi settings are invalid")
            .ValidateOnStart();
        return services;
    }
}
