using System.Diagnostics;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Processes;

public sealed class SafeFileTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _temp = new();
    private readonly VictimFile _victim;
    private readonly string _folder;

    public SafeFileTests()
    {
        _victim = new VictimFile(_temp);
        _folder = _temp.CreateFolder("owned-by-postgres");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_LinkAtFinalName_ReplacesTheLinkAndLeavesItsTargetUntouched()
    {
        // Arrange
        var path = _victim.PlantLinkAt(Path.Combine(_folder, "pgpass"));

        // Act
        SafeFile.Write(path, "secret\n", OwnerReadWrite);

        // Assert
        _victim.AssertUntouched();
        VictimFile.AssertRegularFile(path, OwnerReadWrite);
        Assert.Equal("secret\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_LinkAtTheOldFixedTemporaryName_IsNotFollowed()
    {
        // Arrange
        var path = Path.Combine(_folder, "pgpass");
        var planted = _victim.PlantLinkAt(path + ".tmp");

        // Act
        SafeFile.Write(path, "secret\n", OwnerReadWrite);

        // Assert
        _victim.AssertUntouched();
        VictimFile.AssertRegularFile(path, OwnerReadWrite);
        Assert.Equal(_victim.Path, new FileInfo(planted).LinkTarget);
    }

    [Fact]
    public void Write_SecretMode_IsTheModeFromTheFirstByte()
    {
        // Arrange
        var path = Path.Combine(_folder, "pgpass");
        UnixFileMode? atCreation = null;
        long? lengthAtCreation = null;

        // Act
        SafeFile.Write(path, "secret\n", OwnerReadWrite, (handle, _) =>
        {
            atCreation = File.GetUnixFileMode(handle);
            lengthAtCreation = RandomAccess.GetLength(handle);
        });

        // Assert: created empty and owner-only; no umask can add bits to the create mode.
        Assert.Equal(0, lengthAtCreation);
        Assert.NotNull(atCreation);
        Assert.Equal((UnixFileMode)0, atCreation.Value & ~OwnerReadWrite);
        Assert.Equal(OwnerReadWrite, atCreation.Value & OwnerReadWrite);
    }

    [Fact]
    public void Write_TemporaryName_IsNewAndRandomInTheSameFolder()
    {
        // Arrange
        var path = Path.Combine(_folder, "status.json");
        var names = new List<string>();

        // Act
        SafeFile.Write(path, "1", OwnerReadWrite, (_, temporary) => names.Add(temporary));
        SafeFile.Write(path, "2", OwnerReadWrite, (_, temporary) => names.Add(temporary));

        // Assert
        Assert.Equal(2, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Equal(_folder, Path.GetDirectoryName(name)));
        Assert.All(names, name => Assert.NotEqual(path + ".tmp", name));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_ModeTheUmaskWouldNarrow_IsSetExactly()
    {
        // Arrange
        var path = Path.Combine(_folder, "status.json");
        const UnixFileMode GroupWritable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead;

        // Act
        SafeFile.Write(path, "{}", GroupWritable);

        // Assert
        VictimFile.AssertRegularFile(path, GroupWritable);
    }

    [Fact]
    public void ReadText_Missing_ReturnsNull()
    {
        // Act
        var text = SafeFile.ReadText(Path.Combine(_folder, "pg_hba.conf"));

        // Assert
        Assert.Null(text);
    }

    [Fact]
    public void ReadText_RegularFile_ReturnsItsText()
    {
        // Arrange
        var path = _temp.WriteFile("owned-by-postgres/pg_hba.conf", "host all all 10.0.0.0/8 md5\n");

        // Act
        var text = SafeFile.ReadText(path);

        // Assert
        Assert.Equal("host all all 10.0.0.0/8 md5\n", text);
    }

    [Fact]
    public void ReadText_SymbolicLink_IsRefusedNamingTheFileAndTheFix()
    {
        // Arrange
        var path = _victim.PlantLinkAt(Path.Combine(_folder, "pg_hba.conf"));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => SafeFile.ReadText(path));

        // Assert
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"replace {path} with a regular file", refusal.NextStep, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NeedsOperator, refusal.ExitCode);
    }

    [Fact]
    public void ReadText_HardLink_IsRefused()
    {
        // Arrange
        var path = Path.Combine(_folder, "pg_ident.conf");
        using (var ln = Process.Start("ln", [_victim.Path, path]))
        {
            ln.WaitForExit();
        }

        // Act
        var refusal = Assert.Throws<StandbyException>(() => SafeFile.ReadText(path));

        // Assert
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("2 hard links", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_Folder_IsRefusedAsNotARegularFile()
    {
        // Arrange
        var path = _temp.CreateFolder("owned-by-postgres", "pg_hba.conf");

        // Act
        var refusal = Assert.Throws<StandbyException>(() => SafeFile.ReadText(path));

        // Assert
        Assert.Contains("not a regular file", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetMode_SymbolicLink_IsRefusedAndTheTargetKeepsItsMode()
    {
        // Arrange
        var path = _victim.PlantLinkAt(Path.Combine(_folder, "id_ed25519"));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => SafeFile.SetMode(path, OwnerReadWrite));

        // Assert
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
        _victim.AssertUntouched();
    }

    [Fact]
    public void OpenFolder_SymbolicLinkToAFolder_IsRefusedNamingTheTarget()
    {
        // Arrange
        var elsewhere = _temp.CreateFolder("elsewhere-folder");
        var path = Path.Combine(_folder, "run");
        Directory.CreateSymbolicLink(path, elsewhere);

        // Act
        var refusal = Assert.Throws<StandbyException>(() => SafeFile.OpenFolder(path).Dispose());

        // Assert
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(elsewhere, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FailsAfterCreating_LeavesNoTemporaryFileAndTheOldFileAsItWas()
    {
        // Arrange
        var path = _temp.WriteFile("owned-by-postgres/pgpass", "old\n");

        // Act
        Assert.Throws<IOException>(() => SafeFile.Write(path, "new\n", OwnerReadWrite, (_, _) => throw new IOException("disk full")));

        // Assert
        Assert.Equal([path], Directory.GetFiles(_folder));
        Assert.Equal("old\n", File.ReadAllText(path));
    }
}
