using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class ControlDataTests
{
    /// <summary>LC_ALL=C pg_controldata of a PostgreSQL 15 cluster fresh from initdb.</summary>
    internal const string Sample = """
        pg_control version number:            1300
        Catalog version number:               202209061
        Database system identifier:           7712776465398710540
        Database cluster state:               shut down
        pg_control last modified:             Fri Nov 27 09:11:49 2026
        Latest checkpoint location:           0/1500718
        Latest checkpoint's REDO location:    0/1500718
        Latest checkpoint's REDO WAL file:    000000010000000000000001
        Latest checkpoint's TimeLineID:       1
        Latest checkpoint's PrevTimeLineID:   1
        Latest checkpoint's full_page_writes: on
        Latest checkpoint's NextXID:          0:724
        Latest checkpoint's NextOID:          13572
        Latest checkpoint's NextMultiXactId:  1
        Latest checkpoint's NextMultiOffset:  0
        Latest checkpoint's oldestXID:        716
        Latest checkpoint's oldestXID's DB:   1
        Latest checkpoint's oldestActiveXID:  0
        Latest checkpoint's oldestMultiXid:   1
        Latest checkpoint's oldestMulti's DB: 1
        Latest checkpoint's oldestCommitTsXid:0
        Latest checkpoint's newestCommitTsXid:0
        Time of latest checkpoint:            Fri Nov 27 09:11:49 2026
        Fake LSN counter for unlogged rels:   0/3E8
        Minimum recovery ending location:     0/0
        Min recovery ending loc's timeline:   0
        Backup start location:                0/0
        Backup end location:                  0/0
        End-of-backup record required:        no
        wal_level setting:                    replica
        wal_log_hints setting:                off
        max_connections setting:              100
        max_worker_processes setting:         8
        max_wal_senders setting:              10
        max_prepared_xacts setting:           0
        max_locks_per_xact setting:           64
        track_commit_timestamp setting:       off
        Maximum data alignment:               8
        Database block size:                  8192
        Blocks per segment of large relation: 131072
        WAL block size:                       8192
        Bytes per WAL segment:                16777216
        Maximum length of identifiers:        64
        Maximum columns in an index:          32
        Maximum size of a TOAST chunk:        1996
        Size of a large-object chunk:         2048
        Date/time type storage:               64-bit integers
        Float8 argument passing:              by value
        Data page checksum version:           0
        Mock authentication nonce:            5e9559e7e3c0392c909c2d214b964e7f6a9ad13d4692f9c601f45bf974171552

        """;

    /// <summary>
    /// LC_ALL=C pg_controldata of a PostgreSQL 15 cluster that ran once with max_connections = 250,
    /// max_worker_processes = 16, max_wal_senders = 12, max_prepared_transactions = 20, max_locks_per_transaction = 128.
    /// </summary>
    internal const string RaisedSample = """
        pg_control version number:            1300
        Catalog version number:               202209061
        Database system identifier:           7712786763852387577
        Database cluster state:               shut down
        pg_control last modified:             Fri Nov 27 09:51:48 2026
        Latest checkpoint location:           0/15007B8
        Latest checkpoint's REDO location:    0/15007B8
        Latest checkpoint's REDO WAL file:    000000010000000000000001
        Latest checkpoint's TimeLineID:       1
        Latest checkpoint's PrevTimeLineID:   1
        Latest checkpoint's full_page_writes: on
        Latest checkpoint's NextXID:          0:724
        Latest checkpoint's NextOID:          13572
        Latest checkpoint's NextMultiXactId:  1
        Latest checkpoint's NextMultiOffset:  0
        Latest checkpoint's oldestXID:        716
        Latest checkpoint's oldestXID's DB:   1
        Latest checkpoint's oldestActiveXID:  0
        Latest checkpoint's oldestMultiXid:   1
        Latest checkpoint's oldestMulti's DB: 1
        Latest checkpoint's oldestCommitTsXid:0
        Latest checkpoint's newestCommitTsXid:0
        Time of latest checkpoint:            Fri Nov 27 09:51:48 2026
        Fake LSN counter for unlogged rels:   0/3E8
        Minimum recovery ending location:     0/0
        Min recovery ending loc's timeline:   0
        Backup start location:                0/0
        Backup end location:                  0/0
        End-of-backup record required:        no
        wal_level setting:                    replica
        wal_log_hints setting:                off
        max_connections setting:              250
        max_worker_processes setting:         16
        max_wal_senders setting:              12
        max_prepared_xacts setting:           20
        max_locks_per_xact setting:           128
        track_commit_timestamp setting:       off
        Maximum data alignment:               8
        Database block size:                  8192
        Blocks per segment of large relation: 131072
        WAL block size:                       8192
        Bytes per WAL segment:                16777216
        Maximum length of identifiers:        64
        Maximum columns in an index:          32
        Maximum size of a TOAST chunk:        1996
        Size of a large-object chunk:         2048
        Date/time type storage:               64-bit integers
        Float8 argument passing:              by value
        Data page checksum version:           0
        Mock authentication nonce:            000a5355b6da7e82a8fd3f7df72cd848bad20b740684188ed7181e9a62ca4ed1

        """;

    [Fact]
    public void Parse_PgControlDataOutput_ReadsSystemIdentifierAndState()
    {
        // Act
        var control = ControlData.Parse(Sample);

        // Assert
        Assert.NotNull(control);
        Assert.Equal(7712776465398710540UL, control.SystemId);
        Assert.Equal("shut down", control.ClusterState);
    }

    [Fact]
    public void Parse_StandbyInRecovery_ReadsArchiveRecoveryState()
    {
        // Arrange
        var standby = Sample.Replace("shut down\n", "in archive recovery\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

        // Act
        var control = ControlData.Parse(standby);

        // Assert
        Assert.NotNull(control);
        Assert.Equal("in archive recovery", control.ClusterState);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pg_controldata: error: could not open file \"/var/lib/postgresql/data/global/pg_control\" for reading: No such file or directory")]
    [InlineData("Database system identifier:           not-a-number")]
    [InlineData("Identifiant du système de base de données :     7712776465398710540")]
    public void Parse_NoSystemIdentifier_ReturnsNull(string output)
    {
        // Act
        var control = ControlData.Parse(output);

        // Assert
        Assert.Null(control);
    }

    [Fact]
    public void Parse_FreshCluster_ReadsPostgresDefaultsOfHotStandbyLimits()
    {
        // Act
        var control = ControlData.Parse(Sample);

        // Assert
        Assert.NotNull(control);
        Assert.Equal(100, control.MaxConnections);
        Assert.Equal(8, control.MaxWorkerProcesses);
        Assert.Equal(10, control.MaxWalSenders);
        Assert.Equal(0, control.MaxPreparedTransactions);
        Assert.Equal(64, control.MaxLocksPerTransaction);
    }

    [Fact]
    public void Parse_ClusterWithRaisedSettings_ReadsTheirValues()
    {
        // Act
        var control = ControlData.Parse(RaisedSample);

        // Assert
        Assert.NotNull(control);
        Assert.Equal(7712786763852387577UL, control.SystemId);
        Assert.Equal(250, control.MaxConnections);
        Assert.Equal(16, control.MaxWorkerProcesses);
        Assert.Equal(12, control.MaxWalSenders);
        Assert.Equal(20, control.MaxPreparedTransactions);
        Assert.Equal(128, control.MaxLocksPerTransaction);
        Assert.Equal("000000010000000000000001", control.RedoWalFile);
        Assert.Equal(16777216L, control.WalSegmentBytes);
    }

    [Fact]
    public void Parse_CrLfLineEnds_ReadsHotStandbyLimits()
    {
        // Arrange
        var output = RaisedSample.Replace("\n", "\r\n", StringComparison.Ordinal);

        // Act
        var control = ControlData.Parse(output);

        // Assert
        Assert.NotNull(control);
        Assert.Equal(250, control.MaxConnections);
        Assert.Equal(128, control.MaxLocksPerTransaction);
    }

    [Theory]
    [InlineData("max_connections setting:              lots")]
    [InlineData("max_connections setting:              -5")]
    [InlineData("max_connections setting:              99999999999")]
    [InlineData("")]
    public void Parse_HotStandbyLimitMissingOrMalformed_LeavesItUnknown(string line)
    {
        // Arrange
        var output = "Database system identifier:           7712776465398710540\n" + line + "\n";

        // Act
        var control = ControlData.Parse(output);

        // Assert
        Assert.NotNull(control);
        Assert.Null(control.MaxConnections);
        Assert.Null(control.MaxWorkerProcesses);
    }
}
