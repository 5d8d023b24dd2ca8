namespace Switchyard.Server.Hosting;

/// <summary>Whether the server has finished starting (store open, recovery done) and not yet begun stopping.</summary>
public sealed class ServerState
{
    private volatile bool _ready;

    public bool Ready => _ready;

    internal void MarkReady() => _ready = true;

    internal void MarkStopping() => _ready = false;
}
