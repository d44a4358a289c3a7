using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Repository;
using PgStandby.Core.Tests.Restore;

namespace PgStandby.Core.Tests.Repository;

public sealed class RepositoryWaiterTests : IDisposable
{
    private static readonly string[] SeedInfoArguments = ["--stanza=psql", "--output=json", "info"];
    private static readonly string[] VersionArguments = ["version"];
    private static readonly RemoteResult PrimaryVersion = new(0, "pgBackRest 2.45\n", string.Empty);

    private readonly TestWorld _world = new();
    private readonly Mock<IRemoteShell> _primary = new(MockBehavior.Strict);
    private readonly HealthState _health;
    private readonly RepositoryWaiter _waiter;

    public RepositoryWaiterTests()
    {
        _primary.SetupGet(p => p.TrustedHostKey).Returns((string?)null);
        _world.Temp.WriteFile("ssh/id_ed25519.pub", SampleKeys.Ed25519PublicKeyLine + "\n");
        _health = _world.CreateHealth();
        _waiter = new RepositoryWaiter(
            _primary.Object,
            _health,
            Options.Create(_world.Repository),
            Options.Create(_world.Standby),
            Options.Create(_world.Supervision),
            _world.Time,
            NullLogger<RepositoryWaiter>.Instance);
    }

    private static TimeSpan Step => TimeSpan.FromSeconds(5);

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task WaitForBackupAsync_BackupExists_ReturnsInfoAtOnce()
    {
        // Arrange
        Answer(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty));

        // Act
        var info = await _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal("20260301-120000F_20260302-120000I", info.NewestBackup);
        Assert.Equal(PgBackRestInfoSamples.SystemId, info.SystemId);
        _primary.Verify(p => p.RunPgBackRestAsync(It.Is<IReadOnlyList<IReadOnlyList<string>>>(c => c.Count == 2 && c[0].SequenceEqual(SeedInfoArguments) && c[1].SequenceEqual(VersionArguments)), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(PrimaryVersion, info.PrimaryVersion);
    }

    [Fact]
    public async Task WaitForBackupAsync_HostKeyTrusted_ShownInStatus()
    {
        // Arrange
        _primary.SetupGet(p => p.TrustedHostKey).Returns("ssh-ed25519 SHA256:abc (pinned by BACKREST_PRIMARY_HOST_KEY)");
        Answer(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty));

        // Act
        await _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal("ssh-ed25519 SHA256:abc (pinned by BACKREST_PRIMARY_HOST_KEY)", _health.Current.PrimaryHostKey);
    }

    [Fact]
    public async Task WaitForBackupAsync_KeyNotAuthorized_WaitsForKeyWithPublicKeyInStatus()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, "postgres@primary.example refused the standby's key"))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.False(waiting.IsCompleted);
        Assert.Equal(StandbyState.WaitingForKeyAuthorization, _health.State);
        Assert.Equal(SampleKeys.Ed25519PublicKeyLine, _health.Current.PublicKey);
        Assert.Contains(SampleKeys.Ed25519PublicKeyLine, _health.Current.NextStep, StringComparison.Ordinal);
        Assert.Contains("~postgres/.ssh/authorized_keys", _health.Current.NextStep, StringComparison.Ordinal);
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal("waiting_for_key_authorization", status.State);
        Assert.Equal(SampleKeys.Ed25519PublicKeyLine, status.PublicKey);
        Assert.True(status.Healthy); // a restart would not authorize the key
        Assert.False(status.Ready);

        var info = await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
        Assert.True(info.HasBackup);
        Assert.Null(_health.Current.PublicKey);
    }

    [Fact]
    public async Task WaitForBackupAsync_Unreachable_WaitsForPrimary()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, "cannot reach primary.example:22 over SSH (Connection refused)"))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForPrimary, _health.State);
        Assert.Equal("cannot reach primary.example:22 over SSH (Connection refused)", _health.Current.Reason);
        Assert.Contains("BACKREST_PRIMARY_HOST=primary.example", _health.Current.NextStep, StringComparison.Ordinal);
        Assert.Null(_health.Current.PublicKey);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_StanzaMissing_WaitsForBackupWithStanzaCreateHint()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.MissingStanzaPath, string.Empty)))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForBackup, _health.State);
        Assert.Contains("stanza psql not found", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("missing stanza path", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("pgbackrest --stanza=psql stanza-create", _health.Current.NextStep, StringComparison.Ordinal);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_ForcedCommandServesAnotherStanza_WaitsForBackupNamingTheStanzaItServes()
    {
        // Arrange: setup-primary.sh's forced command refuses an info of a stanza the primary does not serve.
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WithVersion(new RemoteResult(1, string.Empty, "pgbackrest-only: refused: --stanza other than main\n")))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForBackup, _health.State);
        Assert.Contains("stanza psql not found", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("serves stanza main only", _health.Current.Reason, StringComparison.Ordinal);
        Assert.StartsWith("set BACKREST_STANZA=main, or", _health.Current.NextStep, StringComparison.Ordinal);
        Assert.Contains("pgbackrest --stanza=psql stanza-create", _health.Current.NextStep, StringComparison.Ordinal);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_NoValidBackups_WaitsForBackupWithBackupHint()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.NoValidBackups, string.Empty)))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForBackup, _health.State);
        Assert.Contains("no usable backup", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Equal("on the primary, as postgres: pgbackrest --stanza=psql backup", _health.Current.NextStep);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_PgBackRestNotInstalled_WaitsForBackupWithInstallHint()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WithVersion(new RemoteResult(127, string.Empty, "bash: pgbackrest: command not found\n")))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForBackup, _health.State);
        Assert.Contains("bash: pgbackrest: command not found", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("install pgbackrest on the primary", _health.Current.NextStep, StringComparison.Ordinal);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_OutputNotJson_WaitsForBackup()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WithVersion(new RemoteResult(0, "stanza: psql\n    status: ok\n", string.Empty)))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.WaitingForBackup, _health.State);
        Assert.Contains("did not print JSON", _health.Current.Reason, StringComparison.Ordinal);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, Step);
    }

    [Fact]
    public async Task WaitForBackupAsync_Failure_RetriesOnlyAfterRetryInterval()
    {
        // Arrange
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, "down"))
            .ReturnsAsync(WithVersion(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty)));

        // Act
        var waiting = _waiter.WaitForBackupAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromSeconds(4.9));

        // Assert
        Assert.False(waiting.IsCompleted);
        _primary.Verify(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()), Times.Once);
        await _world.Time.AdvanceUntilCompletedAsync(waiting, TimeSpan.FromSeconds(0.1));
        _primary.Verify(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task WaitForBackupAsync_HostKeyRejected_RefusesWithExitCode78()
    {
        // Arrange
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.HostKeyRejected, "the primary's ssh-ed25519 host key changed"));

        // Act
        var exception = await Assert.ThrowsAsync<StandbyException>(() => _waiter.WaitForBackupAsync(CancellationToken.None));

        // Assert
        Assert.Equal(StandbyState.Refused, exception.State);
        Assert.Equal(78, exception.ExitCode);
        Assert.Contains("primary.example", exception.Message, StringComparison.Ordinal);
        Assert.Contains("host key changed", exception.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_world.Standby.SshDirectory, "known_hosts"), exception.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForBackupAsync_CancelledWhileWaiting_Throws()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, "down"));
        var waiting = _waiter.WaitForBackupAsync(stopping.Token);

        // Act
        await stopping.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void InfoArguments_PrimaryConfigSet_PassesItFirst()
    {
        // Arrange
        _world.Repository.PrimaryConfig = "/etc/pgbackrest/primary.conf";

        // Act
        var arguments = _waiter.InfoArguments();

        // Assert
        Assert.Equal(["--config=/etc/pgbackrest/primary.conf", "--stanza=psql", "--output=json", "info"], arguments);
    }

    private void Answer(RemoteResult info) =>
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>())).ReturnsAsync(WithVersion(info));

    /// <summary>The waiter asks info and version together: the answers in that order.</summary>
    private static IReadOnlyList<RemoteResult> WithVersion(RemoteResult info) => [info, PrimaryVersion];
}
