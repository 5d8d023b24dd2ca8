using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Core.Model;

/// <summary>Either a value or an <see cref="OperationError"/>; the engine never throws for a refused request.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, OperationError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public OperationError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

#pragma warning disable CA1000 // Factory methods on a generic result type read best at the call site.
    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failure(OperationError error) => new(default, error);
#pragma warning restore CA1000

    public static implicit operator Outcome<T>(T value) => Success(value);

    public static implicit operator Outcome<T>(OperationError error) => Failure(error);
}
