using System.Globalization;

namespace PgStandby.Core.Postgres;

/// <summary>The fields of pg_controldata's output the worker needs (read with LC_ALL=C so labels are English).</summary>
public sealed record ControlData(ulong SystemId, string ClusterState)
{
    public static ControlData? Parse(string output)
    {
        ulong? systemId = null;
        var state = string.Empty;
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var label = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (label == "Database system identifier" && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                systemId = id;
            }
            else if (label == "Database cluster state")
            {
                state = value;
            }
        }

        return systemId is null ? null : new ControlData(systemId.Value, state);
    }
}
