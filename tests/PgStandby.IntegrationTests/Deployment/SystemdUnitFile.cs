namespace PgStandby.IntegrationTests.Deployment;

/// <summary>A systemd unit file read as systemd reads it: sections of keys, a key repeatable, comments ignored.</summary>
internal sealed class SystemdUnitFile
{
    private readonly Dictionary<string, List<KeyValuePair<string, string>>> _sections = new(StringComparer.Ordinal);

    private SystemdUnitFile()
    {
    }

    public static SystemdUnitFile Load(string path)
    {
        var unit = new SystemdUnitFile();
        List<KeyValuePair<string, string>>? section = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = [];
                unit._sections[line[1..^1]] = section;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(section is not null && equals > 0, $"{path}: not a key=value line inside a section: {raw}");
            section!.Add(new(line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return unit;
    }

    /// <summary>Every value of a key, in file order (ReadWritePaths= may be given several times).</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        _sections.TryGetValue(section, out var entries)
            ? entries.Where(e => e.Key == key).Select(e => e.Value).ToList()
            : [];

    /// <summary>The value systemd uses for a single-valued key: the last one.</summary>
    public string? Single(string section, string key) => All(section, key) is [.., var last] ? last : null;
}
