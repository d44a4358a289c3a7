namespace PgStandby.Core.Processes;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of standard error (or output when error is empty), for operator messages.</summary>
    public string Tail(int lines = 5) => OutputTail.Of(StandardOutput, StandardError, lines);
}
