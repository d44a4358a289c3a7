using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Processes;

public sealed class OsAccountTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _passwd;

    public OsAccountTests()
    {
        _passwd = _temp.WriteFile(
            "passwd",
            "root:x:0:0:root:/root:/bin/bash\n"
            + "broken:x:notanumber:1:broken:/nowhere:/bin/false\n"
            + "postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Find_ExistingAccount_ReadsIdsAndHome()
    {
        // Act
        var account = OsAccount.Find("postgres", _passwd);

        // Assert
        Assert.Equal(new OsAccount("postgres", 101, 104, "/var/lib/postgresql"), account);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("broken")]
    [InlineData("post")]
    public void Find_MissingOrBrokenAccount_ReturnsNull(string name)
    {
        // Act
        var account = OsAccount.Find(name, _passwd);

        // Assert
        Assert.Null(account);
    }

    [Fact]
    public void Find_NoPasswdFile_ReturnsNull()
    {
        // Act
        var account = OsAccount.Find("postgres", _temp.Combine("missing"));

        // Assert
        Assert.Null(account);
    }
}
