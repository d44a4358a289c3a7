using PgStandby.Core.Processes;

namespace PgStandby.Core.Tests.Processes;

public sealed class ChildEnvironmentTests
{
    private const string Canary = "PGSTANDBY_TESTS_SECRET_CANARY";

    [Fact]
    public void Build_WorkerVariables_AreRemovedFromChild()
    {
        // Arrange
        Environment.SetEnvironmentVariable(Canary, "hunter2");
        try
        {
            // Act
            var environment = ChildEnvironment.Build(new CommandSpec("pgbackrest", []), null);

            // Assert
            Assert.True(environment.ContainsKey(Canary));
            Assert.Null(environment[Canary]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Canary, null);
        }
    }

    [Fact]
    public void Build_Account_SetsHomeAndUserOfThatAccount()
    {
        // Arrange
        var account = new OsAccount("postgres", 101, 104, "/var/lib/postgresql");

        // Act
        var environment = ChildEnvironment.Build(new CommandSpec("pgbackrest", []), account);

        // Assert
        Assert.Equal("/var/lib/postgresql", environment["HOME"]);
        Assert.Equal("postgres", environment["USER"]);
        Assert.Equal("postgres", environment["LOGNAME"]);
        Assert.False(string.IsNullOrEmpty(environment["PATH"]));
    }

    [Fact]
    public void Build_SpecEnvironment_WinsOverBase()
    {
        // Arrange
        var spec = new CommandSpec("pg_controldata", ["-D", "/data"]) { Environment = new Dictionary<string, string> { ["LC_ALL"] = "C" } };

        // Act
        var environment = ChildEnvironment.Build(spec, null);

        // Assert
        Assert.Equal("C", environment["LC_ALL"]);
    }
}
