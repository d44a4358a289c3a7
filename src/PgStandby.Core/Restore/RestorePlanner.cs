using PgStandby.Core.Postgres;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>
/// Classifies PGDATA on every start. The rule: restore only into an empty folder or over an interrupted
/// restore; start a standby that is provably this stanza's; refuse everything else and remove nothing.
/// </summary>
public static class RestorePlanner
{
    public const string SupportedVersion = "15";

    /// <param name="inspection">What PGDATA holds.</param>
    /// <param name="stanza">BACKREST_STANZA.</param>
    /// <param name="remembered">The identity verified on an earlier start, if any.</param>
    /// <param name="systemId">PGDATA's system identifier from pg_control, when it has one.</param>
    /// <param name="promotion">The promotion this worker recorded, if any: a PGDATA it saw promoted runs as a primary.</param>
    public static RestorePlan Plan(DataDirectoryInspection inspection, string stanza, StandbyIdentity? remembered, ulong? systemId, PromotionRecord? promotion = null)
    {
        var path = inspection.Path;
        if (inspection.IsEmpty)
        {
            return new RestorePlan(RestoreAction.FullRestore, $"{path} is empty: restoring the newest backup of stanza {stanza}");
        }

        if (inspection.HasBackupManifest)
        {
            return new RestorePlan(RestoreAction.DeltaRestore, $"{path} holds backup.manifest: an earlier restore was interrupted, resuming it with --delta");
        }

        var manual = $"move {path} aside (or empty it) after checking it holds nothing you need, then start pgstandby again";
        if (inspection.PgVersion is null)
        {
            return new RestorePlan(RestoreAction.Refuse, $"{path} is not empty and is not a PostgreSQL data directory (it holds {string.Join(", ", inspection.SampleEntries)})", manual);
        }

        if (inspection.PgVersion != SupportedVersion)
        {
            return new RestorePlan(RestoreAction.Refuse, $"{path} is a PostgreSQL {inspection.PgVersion} data directory; this standby runs PostgreSQL {SupportedVersion}", manual);
        }

        if (!inspection.HasPgControl || systemId is null)
        {
            return new RestorePlan(RestoreAction.Refuse, $"{path} has PG_VERSION but no readable global/pg_control: it is incomplete and was not left by a pgBackRest restore", manual);
        }

        if (!inspection.HasStandbySignal && promotion is not null && promotion.SystemId == systemId)
        {
            return new RestorePlan(RestoreAction.StartAsPrimary, $"{path} is system {systemId}, which this worker saw promoted ({promotion.Describe()}): starting it as a primary");
        }

        if (!inspection.HasStandbySignal)
        {
            return new RestorePlan(RestoreAction.Refuse, $"{path} is a PostgreSQL cluster that is not a standby (no standby.signal): it may be a primary or a promoted standby holding the only copy of its data", manual);
        }

        if (remembered is null)
        {
            return new RestorePlan(RestoreAction.VerifyWithRepository, $"{path} is a PostgreSQL {SupportedVersion} standby (system {systemId}) never verified by this worker: checking it against stanza {stanza}");
        }

        if (remembered.Stanza != stanza || remembered.SystemId != systemId)
        {
            return new RestorePlan(RestoreAction.Refuse, $"{path} belongs to system {systemId}, but this worker restored system {remembered.SystemId} of stanza {remembered.Stanza}, and BACKREST_STANZA is {stanza}", manual);
        }

        return new RestorePlan(RestoreAction.StartExisting, $"{path} is a complete standby of stanza {stanza} (system {systemId}): starting it as it is");
    }

    /// <summary>Compares PGDATA with the repository, for a standby whose identity was never verified.</summary>
    public static RestorePlan Verify(DataDirectoryInspection inspection, string stanza, ulong systemId, RepositoryInfo repository) =>
        repository.SystemId == systemId && repository.PgVersion == inspection.PgVersion
            ? new RestorePlan(RestoreAction.StartExisting, $"{inspection.Path} matches stanza {stanza} (system {systemId}): starting it as it is")
            : new RestorePlan(
                RestoreAction.Refuse,
                $"{inspection.Path} belongs to system {systemId} (PostgreSQL {inspection.PgVersion}), but stanza {stanza} holds system {repository.SystemId} (PostgreSQL {repository.PgVersion})",
                $"check BACKREST_STANZA and BACKREST_PRIMARY_HOST; if this data is not needed, move {inspection.Path} aside and start pgstandby again");
}
