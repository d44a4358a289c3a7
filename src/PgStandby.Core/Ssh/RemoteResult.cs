namespace PgStandby.Core.Ssh;

public sealed record RemoteResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Tail(int lines = 5) => Processes.OutputTail.Of(StandardOutput, StandardError, lines);
}
