using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests;

/// <summary>
/// AddPgStandbyCore wires the rules that live with the capability that reads a variable (PG_SETTINGS with the
/// renderer, BACKREST_PRIMARY_HOST_KEY with the SSH client): a bad value still stops the worker at start, with every
/// other variable's problems.
/// </summary>
public sealed class CoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _binDirectory;

    public CoreRegistrationTests()
    {
        _binDirectory = _temp.CreateFolder("bin");
        _temp.WriteFile("bin/postgres");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StartupValidation_ManagedSettingAndBadHostKey_BothReportedWithTheOtherProblems()
    {
        // Arrange
        var services = new ServiceCollection();
        services.AddSingleton(TestConfiguration.From(
            ("BACKREST_PRIMARY_HOST", "primary"),
            ("BACKREST_PRIMARY_HOST_KEY", "not a key"),
            ("PG_BIN_DIR", _binDirectory),
            ("PG_SETTINGS", "port=5433"),
            ("PG_PORT", "99999")));
        services.AddPgStandbyCore();
        using var provider = services.BuildServiceProvider();

        // Act
        var exception = Record.Exception(provider.GetRequiredService<IStartupValidator>().Validate);

        // Assert
        var failures = exception switch
        {
            OptionsValidationException single => [.. single.Failures],
            AggregateException many => many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
            _ => new List<string>(),
        };
        Assert.Contains(failures, f => f.StartsWith("PG_SETTINGS must not set port: the worker manages it (set PG_PORT)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("BACKREST_PRIMARY_HOST_KEY must be a known_hosts line", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PG_PORT ", StringComparison.Ordinal));
    }
}
