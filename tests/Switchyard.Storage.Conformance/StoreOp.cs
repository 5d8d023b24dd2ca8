namespace Switchyard.Storage.Conformance;

/// <summary>One step of a random run: <see cref="A"/> and <see cref="B"/> pick its target and variant.</summary>
public sealed record StoreOp(StoreOpKind Kind, int A, int B)
{
    public override string ToString() => $"{Kind}({A},{B})";
}
