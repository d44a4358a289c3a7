using PgStandby.Core.Postgres;

namespace PgStandby.Core.Restore;

/// <summary>What <c>pgstandby reinit</c> would overwrite, said before the operator confirms with --yes.</summary>
public static class ReinitDescription
{
    /// <param name="promotion">The promotion this worker recorded for PGDATA, if any: what going back to a standby discards.</param>
    public static string Describe(DataDirectoryInspection inspection, string stanza, string primaryHost, PromotionRecord? promotion = null)
    {
        if (promotion is not null && !inspection.HasStandbySignal && inspection.PgVersion is not null)
        {
            return string.Join(
                '\n',
                $"{inspection.Path} is a PRIMARY: {promotion.Describe()}.",
                $"pgstandby reinit makes it a standby again, re-synced from the newest backup of stanza {stanza} on {primaryHost}:",
                $"every write made on it since {promotion.PromotedAt:u} is DISCARDED (it exists nowhere else unless you copied it).",
                "Point clients back at the primary first, and dump what you need to keep (pg_dump).",
                "Stop the worker first (it holds PGDATA's lock), then run: pgstandby reinit --yes");
        }

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
