using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Health;

namespace PgStandby.Core.Tests.Health;

public sealed class SoftwareVersionsTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _runner = new(MockBehavior.Strict);

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("pgBackRest 2.45\n", "2.45")]
    [InlineData("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n", "15.18")]
    [InlineData("postgres (PostgreSQL) 15.18\n", "15.18")]
    [InlineData("\n  pgBackRest 2.54.2  \n", "2.54.2")]
    [InlineData("", null)]
    [InlineData("command not found", null)]
    public void ParseVersion_BinaryOutput_FirstDottedNumber(string output, string? expected)
    {
        // Act
        var version = SoftwareVersions.ParseVersion(output);

        // Assert
        Assert.Equal(expected, version);
    }

    [Fact]
    public async Task RecordAsync_BothBinariesAnswer_VersionsInTheStatus()
    {
        // Arrange
        var health = _world.CreateHealth();
        Answer("pgbackrest", new CommandResult(0, "pgBackRest 2.45\n", string.Empty));
        Answer(Path.Combine(_world.Standby.BinDirectory, "postgres"), new CommandResult(0, "postgres (PostgreSQL) 15.18\n", string.Empty));
        var versions = new SoftwareVersions(_runner.Object, health, Options.Create(_world.Standby));

        // Act
        await versions.RecordAsync(CancellationToken.None);

        // Assert
        Assert.Equal("2.45", health.Current.PgBackRestVersion);
        Assert.Equal("15.18", health.Current.PostgresVersion);
    }

    [Fact]
    public async Task RecordAsync_PgBackRestFailsAndPostgresMissing_BothUnknownNoThrow()
    {
        // Arrange
        var health = _world.CreateHealth();
        Answer("pgbackrest", new CommandResult(127, string.Empty, "pgbackrest: not found"));
        _runner.Setup(r => r.RunAsync(It.Is<CommandSpec>(c => c.FileName.EndsWith("/postgres", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new System.ComponentModel.Win32Exception(2, "No such file or directory"));
        var versions = new SoftwareVersions(_runner.Object, health, Options.Create(_world.Standby));

        // Act
        await versions.RecordAsync(CancellationToken.None);

        // Assert
        Assert.Null(health.Current.PgBackRestVersion);
        Assert.Null(health.Current.PostgresVersion);
    }

    private void Answer(string fileName, CommandResult result) =>
        _runner.Setup(r => r.RunAsync(It.Is<CommandSpec>(c => c.FileName == fileName), It.IsAny<CancellationToken>())).ReturnsAsync(result);
}
