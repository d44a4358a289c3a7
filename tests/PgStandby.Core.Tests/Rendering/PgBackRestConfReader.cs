namespace PgStandby.Core.Tests.Rendering;

/// <summary>Reads pgbackrest.conf as pgBackRest's ini parser does: [section] headers, key=value split at the first '=', both trimmed.</summary>
internal static class PgBackRestConfReader
{
    /// <summary>Lines per section, in order; key "" holds what comes before the first section.</summary>
    public static Dictionary<string, List<KeyValuePair<string, string>>> Read(string text)
    {
        var sections = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal) { [string.Empty] = [] };
        var current = sections[string.Empty];
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = [];
                sections.Add(line[1..^1], current);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"pgbackrest.conf line is not key=value: {line}");
            }

            current.Add(new(line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return sections;
    }

    public static string? Value(Dictionary<string, List<KeyValuePair<string, string>>> sections, string section, string key) =>
        sections.TryGetValue(section, out var lines) ? lines.Where(l => l.Key == key).Select(l => l.Value).SingleOrDefault() : null;
}
