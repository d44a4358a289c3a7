using Microsoft.Extensions.Configuration;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>An in-memory stand-in for the process environment the worker binds its options from.</summary>
internal static class TestConfiguration
{
    public static IConfiguration From(params (string Name, string? Value)[] variables) =>
        From(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    public static IConfiguration From(IDictionary<string, string?> variables) =>
        new ConfigurationBuilder().AddInMemoryCollection(variables).Build();
}
