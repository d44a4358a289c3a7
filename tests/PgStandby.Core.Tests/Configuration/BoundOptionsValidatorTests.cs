using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

public sealed class BoundOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _binDirectory;

    public BoundOptionsValidatorTests()
    {
        _binDirectory = _temp.CreateFolder("bin");
        _temp.WriteFile("bin/postgres");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Validate_NoProblems_Succeeds()
    {
        // Arrange
        var validator = new BoundOptionsValidator<RepositoryOptions>();
        var options = new RepositoryOptions { PrimaryHost = "primary" };

        // Act
        var result = validator.Validate(Options.DefaultName, options);

        // Assert
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_Problems_FailsWithEveryProblem()
    {
        // Arrange
        var validator = new BoundOptionsValidator<RepositoryOptions>();
        var options = new RepositoryOptions();
        options.Problems.Add("BACKREST_PRIMARY_HOST is required: set it.");
        options.Problems.Add("BACKREST_STANZA must be a stanza name.");

        // Act
        var result = validator.Validate(Options.DefaultName, options);

        // Assert
        Assert.True(result.Failed);
        Assert.Equal(options.Problems, result.Failures);
    }

    [Fact]
    public void OptionsValue_SeedEnvironment_BindsWithoutProblems()
    {
        // Arrange
        using var provider = Build(
            ("BACKREST_PRIMARY_HOST", "postgres_master"),
            ("BACKREST_STANZA", "psql"),
            ("BACKREST_PRIMARY_USER", "postgres"),
            ("PG_PRIMARY_HOST", "postgres_master"),
            ("PG_PRIMARY_PORT", "5432"),
            ("PG_REPLICATION_USER", "replicator"),
            ("PG_REPLICATION_PASSWORD", "replication"),
            ("PG_SLAVE_NAME", "slave"),
            ("PGDATA", "/var/lib/postgresql/data"),
            ("PG_BIN_DIR", _binDirectory));

        // Act
        var repository = provider.GetRequiredService<IOptions<RepositoryOptions>>().Value;
        var replication = provider.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        var standby = provider.GetRequiredService<IOptions<StandbyOptions>>().Value;
        var supervision = provider.GetRequiredService<IOptions<SupervisionOptions>>().Value;

        // Assert
        Assert.Equal("postgres_master", repository.PrimaryHost);
        Assert.Equal("slave", replication.ApplicationName);
        Assert.Equal("/var/lib/postgresql/data", standby.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(5), supervision.RetryInterval);
    }

    [Fact]
    public void OptionsValue_BadVariable_ThrowsNamingIt()
    {
        // Arrange
        using var provider = Build(("BACKREST_PRIMARY_HOST", "primary"), ("BACKREST_PRIMARY_SSH_PORT", "none"));

        // Act
        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RepositoryOptions>>().Value);

        // Assert
        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("BACKREST_PRIMARY_SSH_PORT ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_ProblemsInSeveralOptions_ReportsEveryProblemAtOnce()
    {
        // Arrange
        using var provider = Build(
            ("BACKREST_STANZA", "my stanza"),
            ("PG_PRIMARY_PORT", "port"),
            ("PG_REPLICATION_PASSWORD", "hunter2\nx"),
            ("PG_BIN_DIR", _binDirectory),
            ("PG_PORT", "99999"),
            ("PGSTANDBY_RETRY_SECONDS", "never"));
        var validator = provider.GetRequiredService<IStartupValidator>();

        // Act
        var exception = Record.Exception(validator.Validate);

        // Assert
        var failures = Failures(exception);
        string[] expected = ["BACKREST_PRIMARY_HOST", "BACKREST_STANZA", "PG_PRIMARY_PORT", "PG_REPLICATION_PASSWORD", "PG_PORT", "PGSTANDBY_RETRY_SECONDS"];
        Assert.Equal(expected.Length, failures.Count);
        Assert.All(expected, name => Assert.Contains(failures, f => f.StartsWith(name + " ", StringComparison.Ordinal)));
        Assert.DoesNotContain(failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }

    private static List<string> Failures(Exception? exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException many => [.. many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };

    private static ServiceProvider Build(params (string Name, string? Value)[] variables)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TestConfiguration.From(variables));
        services.AddPgStandbyOptions();
        return services.BuildServiceProvider();
    }
}
