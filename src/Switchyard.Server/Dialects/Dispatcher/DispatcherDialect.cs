using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// The dispatcher dialect (specs: seed 000): <c>POST /api/openai</c>, <c>GET /api/task/{taskId}</c> and the worker
/// WebSocket <c>/ws?group=</c>, served on Switchyard's engine. See docs/protocols/dispatcher.md.
/// </summary>
public static class DispatcherDialect
{
    /// <summary>The type of every task the dialect submits, and of every task its workers take.</summary>
    public const string TaskType = "llm.chat";

    /// <summary>The protocol name its workers show in the workers API.</summary>
    public const string Protocol = "dispatcher";

    /// <summary>The error code of a task a worker reported with <c>task_error</c>.</summary>
    public const string WorkerErrorCode = "worker_error";

    private const string SubmitPath = "/api/openai";
    private const string StatusPath = "/api/task";
    private const string WorkerPath = "/ws";

    public static IServiceCollection AddDispatcherDialect(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(EnvironmentVariables.Process);
        services.AddSingleton(sp => new DispatcherOptionsSetup(
            configuration.GetSection(DispatcherOptions.Section),
            sp.GetRequiredService<EnvironmentVariables>(),
            sp.GetRequiredService<ILogger<DispatcherOptionsSetup>>()));
        services.AddSingleton<IConfigureOptions<DispatcherOptions>>(sp => sp.GetRequiredService<DispatcherOptionsSetup>());
        services.AddSingleton<IValidateOptions<DispatcherOptions>>(sp => sp.GetRequiredService<DispatcherOptionsSetup>());
        services.AddOptions<DispatcherOptions>().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapDispatcherDialect(this IEndpointRouteBuilder app)
    {
        app.MapPost(SubmitPath, SubmitApi.Submit).ExcludeFromDescription();
        app.MapGet(StatusPath + "/{taskId?}", TaskStatusApi.Get).ExcludeFromDescription();
        app.Map(WorkerPath, WorkerSocketApi.AcceptAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>Whether <paramref name="path"/> is one of the dialect's, so answered in its shape.</summary>
    internal static bool Serves(PathString path) =>
        path.StartsWithSegments(SubmitPath) || path.StartsWithSegments(StatusPath)
        || path == WorkerPath || path == WorkerPath + "/";

    internal static Utf8ContentHttpResult Json(int statusCode, byte[] body) =>
        TypedResults.Text(body, DispatcherJson.ContentType, statusCode);
}
