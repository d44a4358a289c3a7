namespace PgStandby.Core.Processes;

/// <summary>The last lines a command printed (standard error, or output when error is empty), for operator messages.</summary>
public static class OutputTail
{
    public static string Of(string standardOutput, string standardError, int lines = 5)
    {
        var text = string.IsNullOrWhiteSpace(standardError) ? standardOutput : standardError;
        return string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
    }
}
