namespace Switchyard.Server.Endpoints;

/// <summary>
/// Names in a route segment: a name may hold <c>/</c> (<c>team/llm</c>), which clients send as <c>%2F</c>; the server keeps that
/// escape in the path, so it is undone here. No valid name holds <c>%</c>, so nothing else can be misread.
/// </summary>
internal static class RouteNames
{
    public static string Decode(string segment) => segment.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(segment) : segment;
}
