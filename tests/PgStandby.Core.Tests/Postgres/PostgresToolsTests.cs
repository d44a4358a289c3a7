using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Tests.Postgres;

public sealed class PostgresToolsTests
{
    private static readonly StandbyOptions Standby = new() { BinDirectory = "/usr/lib/postgresql/15/bin", DataDirectory = "/var/lib/postgresql/data" };

    private readonly Mock<ICommandRunner> _runner = new(MockBehavior.Strict);

    [Fact]
    public async Task ReadControlDataAsync_Succeeds_ParsesOutputOfPgControlDataInCLocale()
    {
        // Arrange
        CommandSpec? ran = null;
        _runner.Setup(r => r.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, CancellationToken>((spec, _) => ran = spec)
            .ReturnsAsync(new CommandResult(0, ControlDataTests.Sample, string.Empty));
        var tools = new PostgresTools(_runner.Object, Options.Create(Standby));

        // Act
        var control = await tools.ReadControlDataAsync(CancellationToken.None);

        // Assert
        Assert.Equal(7712776465398710540UL, control?.SystemId);
        Assert.NotNull(ran);
        Assert.Equal("/usr/lib/postgresql/15/bin/pg_controldata", ran.FileName);
        Assert.Equal(["-D", "/var/lib/postgresql/data"], ran.Arguments);
        Assert.Equal("C", ran.Environment["LC_ALL"]);
        Assert.True(ran.AsPostgres);
    }

    [Fact]
    public async Task ReadControlDataAsync_PgControlDataFails_ReturnsNull()
    {
        // Arrange
        _runner.Setup(r => r.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(1, ControlDataTests.Sample, "pg_controldata: error: could not open file"));
        var tools = new PostgresTools(_runner.Object, Options.Create(Standby));

        // Act
        var control = await tools.ReadControlDataAsync(CancellationToken.None);

        // Assert
        Assert.Null(control);
    }

    [Fact]
    public void Binary_Name_LivesInBinDirectory()
    {
        // Arrange
        var tools = new PostgresTools(_runner.Object, Options.Create(Standby));

        // Act
        var path = tools.Binary("postgres");

        // Assert
        Assert.Equal("/usr/lib/postgresql/15/bin/postgres", path);
    }
}
