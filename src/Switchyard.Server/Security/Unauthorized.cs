using Microsoft.AspNetCore.Http;
using Switchyard.Core.Model;
using Switchyard.Server.Dialects.Dispatcher;
using Switchyard.Server.Dialects.OpenAi;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Security;

/// <summary>
/// The 401 answer to a request without a valid API key, in the error shape of the surface it asked: OpenAI's under
/// <c>/v1</c>, the dispatcher dialect's on its paths, problem details everywhere else.
/// </summary>
internal static class Unauthorized
{
    public const string Message = "A valid API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";

    public static Task WriteAsync(HttpContext context, bool missing)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(OpenAiApi.Prefix))
        {
            return OpenAiApi.Json(missing ? OpenAiError.MissingApiKey : OpenAiError.InvalidApiKey).ExecuteAsync(context);
        }

        if (DispatcherDialect.Serves(path))
        {
            return DispatcherDialect.Json(StatusCodes.Status401Unauthorized, DispatcherJson.Error("Unauthorized: " + Message)).ExecuteAsync(context);
        }

        return Problems.Write(context, new OperationError(ErrorCodes.Unauthorized, Message));
    }
}
