using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class PostgresLogLineTests
{
    [Fact]
    public void Parse_StartupProcessLine_ItsProcessSeverityAndMessage()
    {
        // Act
        var line = PostgresLogLine.Parse("2026-12-03 09:29:30.123 UTC [4242] startup: LOG:  new timeline 3 forked off current database system timeline 2 before current recovery point 0/5000000");

        // Assert
        Assert.NotNull(line);
        Assert.Equal(new PostgresLogLine(4242, "startup", "LOG", "new timeline 3 forked off current database system timeline 2 before current recovery point 0/5000000"), line);
        Assert.True(line.IsMessageFrom(PostgresLogLine.Startup));
        Assert.True(line.IsServerMessage);
    }

    [Theory]
    [InlineData("2026-12-03 09:29:30.123 CET [77] client backend: FATAL:  password authentication failed for user \"x\"", "client backend")]
    [InlineData("2026-12-03 09:29:30.123 +0530 [78] autovacuum worker: LOG:  automatic vacuum of table \"a.b.c\"", "autovacuum worker")]
    [InlineData("2026-12-03 09:29:30.123 UTC [79] walsender: LOG:  received replication command: IDENTIFY_SYSTEM", "walsender")]
    public void Parse_ProcessesActingForAClient_NeitherStartupNorServer(string text, string backendType)
    {
        // Act
        var line = PostgresLogLine.Parse(text);

        // Assert
        Assert.NotNull(line);
        Assert.Equal(backendType, line.BackendType);
        Assert.False(line.IsMessageFrom(PostgresLogLine.Startup));
        Assert.False(line.IsServerMessage);
    }

    [Theory]
    [InlineData("\tnew timeline 3 forked off current database system timeline 2 before current recovery point 0/5000000")] // continuation of a message
    [InlineData("new timeline 3 forked off current database system timeline 2")] // no prefix: pgBackRest's own output, a very early line
    [InlineData("2026-12-03 09:29:30.123 UTC [80] client backend: FATAL:  user \"x\r2026-12-03 09:29:30.123 UTC [1] startup: LOG:  new timeline 3\"")]
    [InlineData(" 2026-12-03 09:29:30.123 UTC [1] startup: LOG:  new timeline 3")]
    public void Parse_NotTheStartOfAnEntry_Null(string text) => Assert.Null(PostgresLogLine.Parse(text));

    [Theory]
    [InlineData("DETAIL")]
    [InlineData("CONTEXT")]
    [InlineData("STATEMENT")]
    [InlineData("HINT")]
    public void IsMessageFrom_DetailLinesOfTheProcess_False(string label)
    {
        // Arrange: the postmaster's DETAIL after a crash quotes the query the client ran.
        var line = PostgresLogLine.Parse($"2026-12-03 09:29:30.123 UTC [1] postmaster: {label}:  Failed process was running: SELECT 'No space left on device'");

        // Assert
        Assert.NotNull(line);
        Assert.False(line.IsMessageFrom(PostgresLogLine.Postmaster));
        Assert.False(line.IsServerMessage);
    }
}
