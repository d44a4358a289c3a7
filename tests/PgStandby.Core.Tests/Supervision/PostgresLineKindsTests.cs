using PgStandby.Core.Supervision;

namespace PgStandby.Core.Tests.Supervision;

public sealed class PostgresLineKindsTests
{
    private const string DataDirectory = "/var/lib/postgresql/data";

    [Theory]
    [InlineData("postmaster", "LOG:  database system is ready to accept read-only connections", PostgresLineKind.Ready)]
    [InlineData("walreceiver", "LOG:  started streaming WAL from primary at 0/3000000 on timeline 1", PostgresLineKind.StreamingStarted)]
    [InlineData("walreceiver", "FATAL:  could not receive data from WAL stream: ERROR:  requested WAL segment 00000001000000000000000A has already been removed", PostgresLineKind.SegmentRefused)]
    [InlineData("startup", "FATAL:  recovery aborted because of insufficient parameter settings", PostgresLineKind.InsufficientSettings)]
    [InlineData("startup", "LOG:  new timeline 2 forked off current database system timeline 1 before current recovery point 0/5000000", PostgresLineKind.TimelineDivergence)]
    [InlineData("checkpointer", "PANIC:  could not write to file \"pg_wal/xlogtemp.81\": No space left on device", PostgresLineKind.NoSpaceLeft)]
    [InlineData("checkpointer", "LOG:  checkpoint starting: time", PostgresLineKind.None)]
    public void Classify_OwnProcessLine_Kind(string backendType, string message, PostgresLineKind expected)
    {
        // Act
        var (kind, _) = PostgresLineKinds.Classify(Line(backendType, message), DataDirectory);

        // Assert
        Assert.Equal(expected, kind);
    }

    [Fact]
    public void Classify_StartupWaitingForWal_DetailIsThePosition()
    {
        // Act
        var (kind, detail) = PostgresLineKinds.Classify(Line("startup", "LOG:  waiting for WAL to become available at 0/5000018"), DataDirectory);

        // Assert
        Assert.Equal(PostgresLineKind.WaitingForWal, kind);
        Assert.Equal("0/5000018", detail);
    }

    /// <summary>A client can put any text in the log: behind a client backend's prefix, or after a line break (tab-indented).</summary>
    [Theory]
    [InlineData("2026-03-01 12:00:02.000 GMT [4251] client backend: ERROR:  database system is ready to accept read-only connections")]
    [InlineData("2026-03-01 12:00:02.000 GMT [4251] client backend: ERROR:  started streaming WAL from primary at 0/3000000 on timeline 1")]
    [InlineData("2026-03-01 12:00:02.000 GMT [4251] client backend: ERROR:  insufficient parameter settings forked off current database system timeline No space left on device")]
    [InlineData("\t2026-03-01 12:00:02.000 GMT [4250] startup: LOG:  waiting for WAL to become available at 0/5000018")]
    [InlineData("\tERROR: [064]: unable to write '/var/lib/postgresql/data/pg_wal/RECOVERYXLOG'")]
    public void Classify_ClientText_None(string line)
    {
        // Act
        var (kind, _) = PostgresLineKinds.Classify(line, DataDirectory);

        // Assert
        Assert.Equal(PostgresLineKind.None, kind);
    }

    [Fact]
    public void Classify_RestoreCommandCannotWriteIntoPgdata_Kind()
    {
        // Act
        var (kind, _) = PostgresLineKinds.Classify("ERROR: [064]: unable to write '" + DataDirectory + "/pg_wal/RECOVERYXLOG'", DataDirectory);

        // Assert
        Assert.Equal(PostgresLineKind.RestoreCommandCannotWrite, kind);
    }

    private static string Line(string backendType, string severityAndMessage) =>
        $"2026-03-01 12:00:02.000 GMT [4250] {backendType}: {severityAndMessage}";
}
