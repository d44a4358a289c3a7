using System.Text;
using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>PG_REPLICATION_PASSWORD_FILE: the Docker secrets convention.</summary>
public sealed partial class ReplicationOptionsSetupTests
{
    [Theory]
    [InlineData("hunter2-Pa55\n")]
    [InlineData("hunter2-Pa55\r\n")]
    [InlineData("hunter2-Pa55")]
    public void Configure_PasswordFile_ReadsContentWithoutOneFinalLineBreak(string content)
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", content);

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(Password, options.Password);
    }

    [Theory]
    [InlineData("with spaces and 'single' and \"double\" quotes")]
    [InlineData("back\\slash:colon::;semi$(id)`id`|&")]
    [InlineData(" leading and trailing spaces ")]
    [InlineData("pässwörd-ünïcode-€")]
    [InlineData("#not-a-comment")]
    public void Configure_PasswordFileWithHostileCharacters_AcceptedExactly(string password)
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", password + "\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(password, options.Password);
    }

    [Fact]
    public void Configure_PasswordFileOfMaximumLength_Accepted()
    {
        // Arrange
        using var temp = new TempDirectory();
        var password = new string('€', EnvironmentValues.MaxSecretLength);
        var path = temp.WriteFile("secret", password + "\r\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(password, options.Password);
    }

    [Fact]
    public void Configure_PasswordAndPasswordFileBothSet_ProblemNamesBoth()
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", "from-the-file\n");

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD", Password), ("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.Contains("PG_REPLICATION_PASSWORD ", problem, StringComparison.Ordinal);
        Assert.Contains("PG_REPLICATION_PASSWORD_FILE", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("from-the-file", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_PasswordFileMissing_ProblemNamesVariableAndPath()
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.Combine("no-such-secret");

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE ", problem, StringComparison.Ordinal);
        Assert.Contains(path, problem, StringComparison.Ordinal);
        Assert.Contains("does not exist", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_PasswordFileIsFolder_ProblemNamesVariableAndPath()
    {
        // Arrange
        using var temp = new TempDirectory();

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", temp.Path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE ", problem, StringComparison.Ordinal);
        Assert.Contains(temp.Path, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_PasswordFileUnreadable_ProblemNamesVariableAndPath()
    {
        // Arrange: reading /proc/self/mem from offset 0 fails with EIO, even for root.
        const string path = "/proc/self/mem";

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names /proc/self/mem, which cannot be read", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
    }

    [Fact]
    public void Configure_PasswordFileNotReadableByWorker_ProblemSaysPermissionDenied()
    {
        // Arrange: root (CI) reads any file through CAP_DAC_OVERRIDE, so the worker's code runs without it, as an
        // unprivileged worker's would.
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", "hunter2\n");
        File.SetUnixFileMode(path, UnixFileMode.None);

        // Act
        var options = WithoutFileOverride.Run(() => Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path))));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names " + path, problem, StringComparison.Ordinal);
        Assert.Contains("permission denied", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Configure_PasswordFileEmpty_Refused(string content)
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", content);

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names " + path + ", which is empty", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hunter2\n\n")]
    [InlineData("hunter2\nsecond line\n")]
    [InlineData("hunter2\r")]
    [InlineData("hunter2\tx")]
    [InlineData("hunter2\0x")]
    [InlineData("hunter2\u001b[31m")]
    public void Configure_PasswordFileWithControlCharacters_RefusedWithoutShowingContent(string content)
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", content);

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names " + path, problem, StringComparison.Ordinal);
        Assert.Contains("value not shown", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
    }

    [Theory]
    [InlineData(EnvironmentValues.MaxSecretLength + 1)]
    [InlineData(1_000_000)]
    public void Configure_PasswordFileTooLong_RefusedWithoutShowingContent(int length)
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.WriteFile("secret", "hunter2" + new string('x', length - 7));

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names " + path, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 400, $"problem is {problem.Length} characters long");
    }

    [Fact]
    public void Configure_PasswordFileNotUtf8_RefusedWithoutShowingContent()
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.Combine("secret");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("hunter2"), 0xff, 0xfe, (byte)'\n']);

        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE names " + path + ", whose content is not UTF-8", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("run/secrets/replication")]
    [InlineData("/run/secrets/with space")]
    [InlineData("/run/secrets/$(id)")]
    [InlineData("/run/secrets/../../etc/shadow")]
    public void Configure_PasswordFileBadPath_RefusedNamingVariable(string path)
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD_FILE", path)));

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_REPLICATION_PASSWORD_FILE must be an absolute path", problem, StringComparison.Ordinal);
        Assert.Equal("replication", options.Password);
    }

    [Fact]
    public void Configure_PasswordFileEmptyVariable_KeepsPasswordVariable()
    {
        // Act
        var options = Bind(TestConfiguration.From(("PG_REPLICATION_PASSWORD", Password), ("PG_REPLICATION_PASSWORD_FILE", string.Empty)));

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(Password, options.Password);
    }
}
