namespace Switchyard.Server.WebSockets;

/// <summary>A peer sent a message over <see cref="FramedSocket.MaxMessageBytes"/>.</summary>
internal sealed class MessageTooBigException() : Exception($"Messages are limited to {FramedSocket.MaxMessageBytes} bytes.");
