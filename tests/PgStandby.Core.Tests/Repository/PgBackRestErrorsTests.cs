using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Repository;

public sealed class PgBackRestErrorsTests
{
    [Theory]
    [InlineData(38, "PostgreSQL is running on PGDATA (pgBackRest exit 38)")]
    [InlineData(40, "PGDATA is not empty (pgBackRest exit 40)")]
    [InlineData(49, "pgBackRest could not connect to the repository host (pgBackRest exit 49)")]
    [InlineData(75, "the repository holds no backup set (pgBackRest exit 75)")]
    [InlineData(127, "pgbackrest is not installed (command not found) (pgBackRest exit 127)")]
    [InlineData(1234, "pgBackRest failed with exit 1234")]
    [InlineData(1, "pgBackRest failed with exit 1")]
    public void Describe_ExitCode_InOperatorWords(int exitCode, string expected)
    {
        // Act
        var text = PgBackRestErrors.Describe(exitCode);

        // Assert
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(49, "")]
    [InlineData(63, "")]
    [InlineData(39, "ERROR: [039]: remote-0 process on 'primary' terminated unexpectedly: ProtocolError")]
    [InlineData(125, "ssh: connect to host primary port 22: Connection refused")]
    [InlineData(125, "ERROR: [125]: unable to connect to primary: Connection timed out")]
    public void IsTransient_NetworkFailure_True(int exitCode, string message)
    {
        // Act
        var transient = PgBackRestErrors.IsTransient(exitCode, message);

        // Assert
        Assert.True(transient);
    }

    [Theory]
    [InlineData(40, "ERROR: [040]: unable to restore to path '/var/lib/postgresql/data' because it contains files")]
    [InlineData(38, "ERROR: [038]: unable to restore while PostgreSQL is running")]
    [InlineData(75, "ERROR: [075]: no backup set found to restore")]
    [InlineData(58, "ERROR: [058]: database version = 14, system-id 1 does not match")]
    public void IsTransient_OperatorProblem_False(int exitCode, string message)
    {
        // Act
        var transient = PgBackRestErrors.IsTransient(exitCode, message);

        // Assert
        Assert.False(transient);
    }
}
