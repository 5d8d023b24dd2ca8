using Switchyard.Client.Contracts.Worker;

namespace Switchyard.Worker;

/// <summary>A frame from the server that this client could not read (never sent; stands in for it on receive).</summary>
internal sealed record UnreadableFrame(string Reason) : WorkerMessage;
