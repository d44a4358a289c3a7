namespace PgStandby.Core.Restore;

public enum RestoreAction
{
    /// <summary>Empty PGDATA: pgbackrest restore --type=standby.</summary>
    FullRestore,

    /// <summary>An interrupted restore (backup.manifest still there): resume with --delta.</summary>
    DeltaRestore,

    /// <summary>A complete standby of this stanza: start it as it is.</summary>
    StartExisting,

    /// <summary>Looks like a complete standby, but its identity was never verified: ask the repository first.</summary>
    VerifyWithRepository,

    /// <summary>A PGDATA this worker saw promoted (its promotion record names this system): start it as a primary, without the repository.</summary>
    StartAsPrimary,

    /// <summary>Not provably ours: touch nothing, stop for the operator.</summary>
    Refuse,
}
