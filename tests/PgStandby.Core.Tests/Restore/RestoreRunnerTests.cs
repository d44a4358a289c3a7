using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;

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
            NullLogger<RestoreRunner>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Arguments_FullRestore_RestoresAsStandbyWithRenderedConfig()
    {
        // Act
        var arguments = _restorer.Arguments(delta: false);

        // Assert
        Assert.Equal(["--config=" + _world.Standby.PgBackRestConfig, "--stanza=psql", "--type=standby", "--log-level-console=info", "restore"], arguments);
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
}
