using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Processes;

public sealed class FolderPreparerTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _temp = new();
    private readonly VictimFile _victim;
    private readonly FolderPreparer _folders = new(NullLogger<FolderPreparer>.Instance);

    public FolderPreparerTests()
    {
        _victim = new VictimFile(_temp);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EnsureFolder_Missing_CreatesItWithTheMode()
    {
        // Arrange
        var path = _temp.Combine("run");

        // Act
        _folders.EnsureFolder(path, OwnerOnly);

        // Assert
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void EnsureFolder_SymbolicLinkAtTheName_IsRefusedAndItsTargetKeepsItsMode()
    {
        // Arrange
        var elsewhere = _temp.CreateFolder("etc");
        const UnixFileMode Open = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(elsewhere, Open);
        var path = _temp.Combine("run");
        Directory.CreateSymbolicLink(path, elsewhere);

        // Act
        var refusal = Assert.Throws<StandbyException>(() => _folders.EnsureFolder(path, OwnerOnly));

        // Assert
        Assert.Contains($"{path} is a symbolic link", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(Open, File.GetUnixFileMode(elsewhere));
    }

    [Fact]
    public void EnsureFolder_RecursiveWithALinkInside_GivesTheLinkNotItsTarget()
    {
        // Arrange
        var ssh = _temp.CreateFolder("ssh");
        _temp.WriteFile("ssh/id_ed25519", "key");
        var link = _victim.PlantLinkAt(Path.Combine(ssh, "known_hosts"));
        var victimOwner = Owner(_victim.Path);

        // Act
        _folders.EnsureFolder(ssh, OwnerOnly, recursive: true);

        // Assert
        _victim.AssertUntouched();
        Assert.Equal(victimOwner, Owner(_victim.Path));
        if (_folders.WorkerIsRoot)
        {
            Assert.Equal(OsAccount.PostgresName, Owner(ssh));
            Assert.Equal(OsAccount.PostgresName, Owner(Path.Combine(ssh, "id_ed25519")));
            Assert.Equal(OsAccount.PostgresName, Owner(link));
        }
    }

    [Fact]
    public void WriteOwnedFile_SymbolicLinkAtTheName_ReplacesItSaysWhyAndLeavesTheTarget()
    {
        // Arrange
        var logger = new Mock<ILogger<FolderPreparer>>();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var path = _victim.PlantLinkAt(_temp.Combine("run", "pgpass"));

        // Act
        new FolderPreparer(logger.Object).WriteOwnedFile(path, "secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Assert
        _victim.AssertUntouched();
        VictimFile.AssertRegularFile(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.Verify(l => l.Log(
            LogLevel.Warning,
            It.Is<EventId>(e => e.Id == 1004),
            It.Is<It.IsAnyType>((state, _) => state.ToString()!.Contains($"Replaced the symbolic link {path}", StringComparison.Ordinal)),
            null,
            It.IsAny<Func<It.IsAnyType, Exception?, string>>()));
    }

    [Fact]
    public void WriteOwnedFile_AsRoot_GivesTheFileToPostgres()
    {
        // Arrange
        var path = _temp.Combine("pgpass");

        // Act
        _folders.WriteOwnedFile(path, "secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Assert
        Assert.Equal(_folders.WorkerIsRoot ? OsAccount.PostgresName : Environment.UserName, Owner(path));
    }

    /// <summary>The owner's name of <paramref name="path"/> itself (stat does not follow a link without -L).</summary>
    private static string Owner(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}
