using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Supervision;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Supervision;

public sealed class WalPrefetchTests : IDisposable
{
    private const string BackupLabel = """
        START WAL LOCATION: 0/5000028 (file 000000010000000000000005)
        CHECKPOINT LOCATION: 0/5000060
        BACKUP METHOD: streamed
        BACKUP FROM: primary
        START TIME: 2026-11-27 16:15:12 UTC
        LABEL: pgBackRest backup 20261127-161512F
        START TIMELINE: 1
        """;

    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly List<CommandSpec> _run = [];
    private readonly WalPrefetch _prefetch;

    public WalPrefetchTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.PgBackRestSpoolPath);
        _commands.Setup(c => c.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, CancellationToken>((spec, _) =>
            {
                _run.Add(spec);
                File.WriteAllText(spec.Arguments[4], "what archive-get wrote"); // as pgBackRest does when it finds the segment
            })
            .ReturnsAsync(new CommandResult(0, string.Empty, string.Empty));
        _prefetch = new WalPrefetch(_commands.Object, Options.Create(_world.Repository), Options.Create(_world.Standby), NullLogger<WalPrefetch>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task RunAsync_AfterARestore_StartsFromTheSegmentBeforeBackupLabelsStart()
    {
        // Arrange: pg_control's checkpoint (segment 7) is later than the backup's start (segment 5).
        File.WriteAllText(Path.Combine(_world.Standby.DataDirectory, "backup_label"), BackupLabel);
        var control = ControlData.Parse(ControlDataTests.RaisedSample.Replace("000000010000000000000001", "000000010000000000000007", StringComparison.Ordinal));

        // Act
        await _prefetch.RunAsync(control, CancellationToken.None);

        // Assert
        var spec = Assert.Single(_run);
        Assert.Equal("archive-get", spec.Arguments[2]);
        Assert.Equal("000000010000000000000004", spec.Arguments[3]);
        Assert.False(File.Exists(spec.Arguments[4]), "the fetched segment is deleted: only the queue after it is wanted");
    }

    [Fact]
    public async Task RunAsync_FirstSegmentOfAll_OrNoControlData_RunsNothing()
    {
        // Arrange
        var control = ControlData.Parse(ControlDataTests.RaisedSample.Replace("000000010000000000000001", "000000010000000000000000", StringComparison.Ordinal));

        // Act
        await _prefetch.RunAsync(control, CancellationToken.None);
        await _prefetch.RunAsync(null, CancellationToken.None);

        // Assert
        Assert.Empty(_run);
    }

    [Fact]
    public async Task RunAsync_ArchiveGetFails_NeverThrows()
    {
        // Arrange
        _commands.Setup(c => c.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("pgbackrest: not found"));

        // Act
        var exception = await Record.ExceptionAsync(() => _prefetch.RunAsync(ControlData.Parse(ControlDataTests.RaisedSample), CancellationToken.None));

        // Assert
        Assert.Null(exception);
    }

    [Theory]
    [InlineData("START WAL LOCATION: 0/5000028 (file 000000010000000000000005)\n", "000000010000000000000005")]
    [InlineData("CHECKPOINT LOCATION: 0/5000060\n", null)]
    [InlineData("START WAL LOCATION: 0/5000028 (file 0000\n", null)]
    public void BackupLabelStart_ReadsTheStartSegment(string label, string? expected)
    {
        // Arrange
        File.WriteAllText(Path.Combine(_world.Standby.DataDirectory, "backup_label"), label);

        // Act
        var start = WalPrefetch.BackupLabelStart(_world.Standby.DataDirectory);

        // Assert
        Assert.Equal(expected, start);
    }
}
