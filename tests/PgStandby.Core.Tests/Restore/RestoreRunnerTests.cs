using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Restore;

public sealed class RestoreRunnerTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly RestoreRunner _restorer;

    public RestoreRunnerTests()
    {
        _restorer = new RestoreRunner(
            _commands.Object,
            Options.Create(_world.Repository),
            Options.Create(_world.Standby),
            Options.Create(_world.Supervision),
            _world.CreateHealth(),
            _world.Time,
            NullLogger<RestoreRunner>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Arguments_FullRestore_RestoresAsStandbyWithRenderedConfig()
    {
        // Act
        var arguments = _restorer.Arguments(delta: false);

        // Assert
        Assert.Equal(["--config=" + _world.Standby.PgBackRestConfig, "--stanza=psql", "--type=standby", "--log-level-console=detail", "restore"], arguments);
    }

    [Fact]
    public void Arguments_Delta_AddsDeltaBeforeCommand()
    {
        // Act
        var arguments = _restorer.Arguments(delta: true);

        // Assert
        Assert.Equal(["--delta", "restore"], arguments.TakeLast(2));
    }

    [Fact]
    public void Arguments_Set_NamesTheBackupBeforeCommand()
    {
        // Act
        var arguments = _restorer.Arguments(delta: true, set: "20260301-120000F");

        // Assert
        Assert.Equal(["--delta", "--set=20260301-120000F", "restore"], arguments.TakeLast(3));
    }

    [Fact]
    public async Task RunAsync_PgBackRestPrintsLines_ReturnsExitCodeAndLastFiveLines()
    {
        // Arrange
        CommandSpec? ran = null;
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, Action<string>, CancellationToken, CancellationToken>((spec, onLine, _, _) =>
            {
                ran = spec;
                for (var i = 1; i <= 7; i++)
                {
                    onLine("line " + i);
                }
            })
            .ReturnsAsync(49);

        // Act
        var (exitCode, tail) = await _restorer.RunAsync(delta: true, CancellationToken.None);

        // Assert
        Assert.Equal(49, exitCode);
        Assert.Equal("line 3 | line 4 | line 5 | line 6 | line 7", tail);
        Assert.Equal("pgbackrest", ran?.FileName);
        Assert.Contains("--delta", ran!.Arguments);
    }

    [Fact]
    public async Task RunAsync_PerFileLines_LeftOutOfTailAndReportedAsRestoreProgress()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring", "wait");
        var restorer = new RestoreRunner(_commands.Object, Options.Create(_world.Repository), Options.Create(_world.Standby), Options.Create(_world.Supervision), health, _world.Time, NullLogger<RestoreRunner>.Instance);
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, Action<string>, CancellationToken, CancellationToken>((_, onLine, _, _) =>
            {
                onLine("2026-11-27 10:37:43.169 P00   INFO: repo1: restore backup set 20261127-103728F, recovery will start at 2026-11-27 10:37:28");
                onLine(RestoreFileLineTests.Large);
                onLine("2026-11-27 10:39:00.516 P00 DETAIL: create path '/data/base'");
                onLine(RestoreFileLineTests.Empty);
                onLine("2026-11-27 10:37:51.169 P00   INFO: restore command end: completed successfully (9342ms)");
            })
            .ReturnsAsync(0);

        // Act
        var (exitCode, tail) = await restorer.RunAsync(delta: false, CancellationToken.None);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("DETAIL", tail, StringComparison.Ordinal);
        Assert.Contains("completed successfully", tail, StringComparison.Ordinal);
        var status = PgStandby.Core.Health.StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal(100.0, status.RestorePercent);
        Assert.Equal(18035507, status.RestoreBytesDone);
    }
}
