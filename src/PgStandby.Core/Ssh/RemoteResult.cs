namespace PgStandby.Core.Ssh;

public sealed record RemoteResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Tail(int lines = 5)
    {
        var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
        return string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
    }
}
