namespace PgStandby.Core.Diagnostics;

/// <summary>Every log event id, in ranges per capability. A shipped id is never reused for another meaning.</summary>
internal static class EventIds
{
    // 1000-1099 health and configuration
    public const int StateChanged = 1001;
    public const int StatusFileNotWritten = 1002;
    public const int OwnershipNotChanged = 1003;
    public const int LinkReplaced = 1004;
    public const int DefaultReplicationPassword = 1005;

    // 1100-1199 keys and SSH
    public const int KeyGenerated = 1101;
    public const int KeyReused = 1102;
    public const int PublicKey = 1103;
    public const int HostKeyRecorded = 1104;
    public const int TlsKeyGenerated = 1105;
    public const int TlsKeyReused = 1106;
    public const int TlsCaPinned = 1107;
    public const int TlsCertificateExpiresSoon = 1108;

    // 1200-1299 rendering
    public const int ConfigurationRendered = 1201;
    public const int DataDirectoryPrepared = 1202;

    // 1300-1399 restore
    public const int RestorePlanned = 1301;
    public const int RestoreStarting = 1302;
    public const int RestoreFinished = 1303;
    public const int RestoreFailed = 1304;
    public const int PgBackRestLine = 1305;
    public const int RepositoryReady = 1306;
    public const int LeftoverStopped = 1307;
    public const int PgBackRestStopped = 1308;
    public const int IdentityRemembered = 1309;

    // 1400-1499 postgres supervision
    public const int PostgresStarting = 1401;
    public const int PostgresLine = 1402;
    public const int PostgresReady = 1403;
    public const int PostgresExited = 1404;
    public const int PostgresRestartScheduled = 1405;
    public const int PostgresStopping = 1406;
    public const int PostgresStopped = 1407;
    public const int ResyncStopping = 1408;
    public const int RestartingForSettings = 1409;
    public const int WalPrefetchStarting = 1410;
    public const int WalPrefetchFailed = 1411;
    public const int ForkNotConfirmed = 1412;
    public const int BranchChecked = 1413;
    public const int StalePidFileRemoved = 1414;
    public const int ResyncStarting = 1310;
    public const int PostmasterAdopted = 1311;
    public const int ResyncBackupChosen = 1312;

    // 1500-1599 replication
    public const int ReplicationSampled = 1501;
    public const int SampleFailed = 1502;
    public const int MonitorFailed = 1504;
    public const int GapClassified = 1503;
    public const int ArchiveNotRead = 1505;
    public const int ArchiveOnAnotherTimeline = 1506;

    // 1600-1699 pipeline
    public const int StageCompleted = 1602;
    public const int StageFailed = 1603;
    public const int StageCrashed = 1604;

    // 1700-1799 observability (restore progress, telemetry, systemd)
    public const int RestoreProgress = 1701;
    public const int PgBackRestDetail = 1702;
    public const int RestoreFirstFiles = 1703;

    // 1800-1899 promotion and running as a primary
    public const int PromotionRecorded = 1801;
    public const int PromotedByHand = 1802;
    public const int OldPrimaryWritable = 1803;
    public const int OldPrimaryGone = 1804;
    public const int PrimarySampleFailed = 1805;
    public const int StartingAsPrimary = 1806;
}
