namespace PgStandby.Core.Processes;

/// <summary>An immutable description of a child process: a file and an argument list, never a shell string.</summary>
public sealed record CommandSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Run as the postgres OS account (when the worker runs as root).</summary>
    public bool AsPostgres { get; init; } = true;

    /// <summary>Extra environment variables for the child, on top of the clean base environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Text written to the child's standard input, then closed.</summary>
    public string? StandardInput { get; init; }

    /// <summary>A one-line description for logs: file name and arguments (specs never carry secrets).</summary>
    public string Display => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments)}";
}
