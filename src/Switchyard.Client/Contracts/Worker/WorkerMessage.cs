using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts.Worker;

/// <summary>
/// One JSON text frame of the worker protocol (<c>/ws/v1/worker</c>), told apart by its <c>type</c>.
/// See docs/protocols/worker.md.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(WelcomeMessage), "welcome")]
[JsonDerivedType(typeof(CreditMessage), "credit")]
[JsonDerivedType(typeof(TaskMessage), "task")]
[JsonDerivedType(typeof(ProgressMessage), "progress")]
[JsonDerivedType(typeof(HeartbeatMessage), "heartbeat")]
[JsonDerivedType(typeof(CompleteMessage), "complete")]
[JsonDerivedType(typeof(FailMessage), "fail")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
[JsonDerivedType(typeof(QuietMessage), "quiet")]
[JsonDerivedType(typeof(TerminateMessage), "terminate")]
[JsonDerivedType(typeof(PingMessage), "ping")]
[JsonDerivedType(typeof(PongMessage), "pong")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record WorkerMessage;
