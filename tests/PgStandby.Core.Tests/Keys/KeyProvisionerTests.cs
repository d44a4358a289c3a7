using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Keys;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Keys;

public sealed class KeyProvisionerTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _runner = new(MockBehavior.Strict);
    private readonly KeyProvisioner _provisioner;
    private readonly string _privateKey;

    public KeyProvisionerTests()
    {
        _provisioner = new KeyProvisioner(_runner.Object, new FolderPreparer(NullLogger<FolderPreparer>.Instance), Options.Create(_world.Standby), NullLogger<KeyProvisioner>.Instance);
        _privateKey = Path.Combine(_world.Standby.SshDirectory, "id_ed25519");
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task EnsureAsync_NoKey_GeneratesEd25519KeyWithSshKeygen()
    {
        // Arrange
        CommandSpec? ran = null;
        _runner.Setup(r => r.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, CancellationToken>((spec, _) =>
            {
                ran = spec;
                File.WriteAllText(_privateKey, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
                File.WriteAllText(_privateKey + ".pub", SampleKeys.Ed25519PublicKeyLine + "\n");
            })
            .ReturnsAsync(new CommandResult(0, string.Empty, string.Empty));

        // Act
        var pair = await _provisioner.EnsureAsync(CancellationToken.None);

        // Assert
        Assert.Equal(SampleKeys.Ed25519PublicKeyLine, pair.PublicKey);
        Assert.Equal(_privateKey, pair.PrivateKeyPath);
        Assert.NotNull(ran);
        Assert.Equal("ssh-keygen", ran.FileName);
        Assert.Equal(["-q", "-t", "ed25519", "-N", string.Empty], ran.Arguments.Take(5));
        Assert.Equal(["-f", _privateKey], ran.Arguments.TakeLast(2));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_privateKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_world.Standby.SshDirectory));
    }

    [Fact]
    public async Task EnsureAsync_KeyExists_ReusesItWithoutSshKeygen()
    {
        // Arrange
        _world.Temp.WriteFile("ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        _world.Temp.WriteFile("ssh/id_ed25519.pub", "  " + SampleKeys.Ed25519PublicKeyLine + "\n\n");

        // Act
        var pair = await _provisioner.EnsureAsync(CancellationToken.None);

        // Assert
        Assert.Equal(SampleKeys.Ed25519PublicKeyLine, pair.PublicKey);
        _runner.Verify(r => r.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_privateKey));
    }

    [Fact]
    public async Task EnsureAsync_PublicKeyLost_RefusesWithExitCode78()
    {
        // Arrange
        _world.Temp.WriteFile("ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n");

        // Act
        var exception = await Assert.ThrowsAsync<StandbyException>(() => _provisioner.EnsureAsync(CancellationToken.None));

        // Assert
        Assert.Equal(StandbyState.Refused, exception.State);
        Assert.Equal(ExitCodes.NeedsOperator, exception.ExitCode);
        Assert.Contains("ssh-keygen -y -f " + _privateKey, exception.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_SshKeygenFails_FailingWithItsError()
    {
        // Arrange
        _runner.Setup(r => r.RunAsync(It.IsAny<CommandSpec>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(1, string.Empty, "Saving key failed: Permission denied\n"));

        // Act
        var exception = await Assert.ThrowsAsync<StandbyException>(() => _provisioner.EnsureAsync(CancellationToken.None));

        // Assert
        Assert.Equal(StandbyState.Failing, exception.State);
        Assert.Equal(ExitCodes.InternalFailure, exception.ExitCode);
        Assert.Contains("Permission denied", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPublicKey_NoKeyYet_ReturnsNull()
    {
        // Act
        var key = StandbyKeyPair.ReadPublicKey(_world.Standby.SshDirectory);

        // Assert
        Assert.Null(key);
    }

    [Fact]
    public async Task EnsureAsync_PrivateKeyIsALink_RefusedAndTheTargetKeepsItsMode()
    {
        // Arrange
        var victim = new VictimFile(_world.Temp);
        victim.PlantLinkAt(_privateKey);
        _world.Temp.WriteFile("ssh/id_ed25519.pub", SampleKeys.Ed25519PublicKeyLine + "\n");

        // Act
        var exception = await Assert.ThrowsAsync<StandbyException>(() => _provisioner.EnsureAsync(CancellationToken.None));

        // Assert
        Assert.Contains($"{_privateKey}: it is a symbolic link", exception.Message, StringComparison.Ordinal);
        victim.AssertUntouched();
    }

    [Fact]
    public async Task EnsureAsync_PublicKeyIsALink_RefusedSoNoOtherFileIsShown()
    {
        // Arrange
        var victim = new VictimFile(_world.Temp);
        _world.Temp.WriteFile("ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        victim.PlantLinkAt(_privateKey + ".pub");

        // Act
        var exception = await Assert.ThrowsAsync<StandbyException>(() => _provisioner.EnsureAsync(CancellationToken.None));

        // Assert
        Assert.Contains($"{_privateKey}.pub: it is a symbolic link", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-hash", exception.Message, StringComparison.Ordinal);
    }
}
