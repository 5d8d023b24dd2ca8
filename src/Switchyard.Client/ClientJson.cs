using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Client.Contracts;

namespace Switchyard.Client;

/// <summary>
/// The wire contracts' JSON metadata as a client reads it: like the server's, except that members this client
/// does not know are skipped, so a newer server that adds a field does not break an older client.
/// </summary>
internal static class ClientJson
{
    public static ContractsJsonContext Context { get; } = new(new JsonSerializerOptions(ContractsJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    });
}
