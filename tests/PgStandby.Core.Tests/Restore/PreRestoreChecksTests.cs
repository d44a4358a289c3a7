using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Restore;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Restore;

public sealed class PreRestoreChecksTests : IDisposable
{
    private static readonly string[] VersionArguments = ["version"];
    private static readonly RepositoryInfo Info = new(0, "ok", 7_000_000_000_000_000_001, "15", 1, "20260301-120000F", 1024);

    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly PreRestoreChecks _checks;

    public PreRestoreChecksTests()
    {
        _checks = new PreRestoreChecks(_commands.Object, Options.Create(_world.Repository), Options.Create(_world.Standby));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task EnsureSameVersionAsync_SameVersionOnBothSides_Passes()
    {
        // Arrange
        LocalVersion(new CommandResult(0, "pgBackRest 2.45\n", string.Empty));

        // Act
        await _checks.EnsureSameVersionAsync(Info with { PrimaryVersion = new RemoteResult(0, "pgBackRest 2.45\n", string.Empty) }, CancellationToken.None);

        // Assert
        _commands.Verify(c => c.RunAsync(It.Is<CommandSpec>(s => s.FileName == "pgbackrest" && s.Arguments.SequenceEqual(VersionArguments)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EnsureSameVersionAsync_VersionsDiffer_RefusesNamingBothAndTheFix()
    {
        // Arrange
        LocalVersion(new CommandResult(0, "pgBackRest 2.45\n", string.Empty));

        // Act
        var refusal = await Assert.ThrowsAsync<StandbyException>(() => _checks.EnsureSameVersionAsync(Info with { PrimaryVersion = new RemoteResult(0, "pgBackRest 2.54.2\n", string.Empty) }, CancellationToken.None));

        // Assert
        Assert.Equal(StandbyState.Refused, refusal.State);
        Assert.Contains("the primary primary.example runs pgBackRest 2.54.2, this standby runs pgBackRest 2.45", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("install pgBackRest 2.54.2 on the standby", refusal.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureSameVersionAsync_PrimaryCannotTell_RefusesWithItsAnswer()
    {
        // Arrange
        LocalVersion(new CommandResult(0, "pgBackRest 2.45\n", string.Empty));

        // Act
        var refusal = await Assert.ThrowsAsync<StandbyException>(() => _checks.EnsureSameVersionAsync(Info with { PrimaryVersion = new RemoteResult(127, string.Empty, "sh: 1: pgbackrest: not found\n") }, CancellationToken.None));

        // Assert
        Assert.Equal(StandbyState.Refused, refusal.State);
        Assert.Contains("cannot read pgBackRest's version", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("pgbackrest: not found", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("(exit 127)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureSameVersionAsync_PrimaryVersionNotAsked_RefusesInsteadOfGuessing()
    {
        // Arrange
        LocalVersion(new CommandResult(0, "pgBackRest 2.45\n", string.Empty));

        // Act
        var refusal = await Assert.ThrowsAsync<StandbyException>(() => _checks.EnsureSameVersionAsync(Info, CancellationToken.None));

        // Assert
        Assert.Contains("cannot read pgBackRest's version", refusal.Message, StringComparison.Ordinal);
    }

    private void LocalVersion(CommandResult result) =>
        _commands.Setup(c => c.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>())).ReturnsAsync(result);
}
