using System.Globalization;

namespace PgStandby.Core.Timelines;

/// <summary>Where a timeline's history left one of its ancestors: WAL after <see cref="SwitchPoint"/> on <see cref="Parent"/> is not on it.</summary>
public sealed record TimelineSwitch(int Parent, ulong SwitchPoint);

/// <summary>A timeline history file (00000003.history): one "parent switch-point reason" line per ancestor, oldest first.</summary>
public static class TimelineHistory
{
    /// <summary>The ancestors the file lists; lines that are blank, comments or malformed are skipped, as postgres does.</summary>
    public static IReadOnlyList<TimelineSwitch> Parse(string content)
    {
        var switches = new List<TimelineSwitch>();
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(['\t', ' '], 3, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                && Lsn.TryParse(fields[1], out var switchPoint))
            {
                switches.Add(new TimelineSwitch(parent, switchPoint));
            }
        }

        return switches;
    }
}
