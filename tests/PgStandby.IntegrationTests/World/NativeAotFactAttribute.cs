namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A test of the Native AOT binary, which `dotnet publish` makes only where clang is installed. On a laptop without
/// clang it is skipped with the reason; with CI=true it always runs, so a missing clang is a failure there.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (!Prerequisites.IsCi && !File.Exists(Prerequisites.Clang))
        {
            Skip = $"needs clang ({Prerequisites.Clang}) for the Native AOT publish: install it as tests/run.sh does (set CI=true to make this a failure)";
        }
    }
}
