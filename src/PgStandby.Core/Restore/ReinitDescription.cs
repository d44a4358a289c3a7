namespace PgStandby.Core.Restore;

/// <summary>What <c>pgstandby reinit</c> would overwrite, said before the operator confirms with --yes.</summary>
public static class ReinitDescription
{
    public static string Describe(DataDirectoryInspection inspection, string stanza, string primaryHost)
    {
        var holds = inspection.IsEmpty
            ? "nothing"
            : inspection.PgVersion is { } version
                ? $"a PostgreSQL {version} data directory{(inspection.HasStandbySignal ? " (a standby)" : " that is NOT a standby: it may hold writes made nowhere else")}"
                : $"files that are not a PostgreSQL data directory ({string.Join(", ", inspection.SampleEntries)}…): they will all be deleted";
        return string.Join(
            '\n',
            $"pgstandby reinit re-syncs {inspection.Path} from the newest backup of stanza {stanza} on {primaryHost}.",
            $"It holds {holds}.",
            "Every file that differs from the backup is rewritten and every file the backup does not hold is deleted.",
            "Stop the worker first (it holds PGDATA's lock), then run: pgstandby reinit --yes");
    }
}
