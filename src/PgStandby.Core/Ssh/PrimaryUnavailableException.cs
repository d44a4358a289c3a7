namespace PgStandby.Core.Ssh;

/// <summary>Why the worker cannot talk to the primary over SSH, told apart before pgBackRest runs.</summary>
public sealed class PrimaryUnavailableException(PrimaryUnavailableKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public PrimaryUnavailableKind Kind { get; } = kind;
}
