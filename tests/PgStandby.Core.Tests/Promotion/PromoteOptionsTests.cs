using PgStandby.Core.Promotion;

namespace PgStandby.Core.Tests.Promotion;

public sealed class PromoteOptionsTests
{
    [Fact]
    public void Parse_NoArguments_Defaults()
    {
        // Act
        var (options, problem) = PromoteOptions.Parse([]);

        // Assert
        Assert.Null(problem);
        Assert.Equal(PromoteOptions.Default, options);
        Assert.False(options!.Force);
        Assert.Equal(TimeSpan.FromMinutes(2), options.MaxWait);
        Assert.Equal(TimeSpan.FromSeconds(60), options.PromoteWait);
    }

    [Fact]
    public void Parse_Force_ForceOnly()
    {
        // Act
        var (options, problem) = PromoteOptions.Parse(["--force"]);

        // Assert
        Assert.Null(problem);
        Assert.Equal(PromoteOptions.Default with { Force = true }, options);
    }

    [Fact]
    public void Parse_MaxWaitAndWait_SecondsInEither()
    {
        // Act
        var (options, problem) = PromoteOptions.Parse(["--wait", "300", "--force", "--max-wait", "45"]);

        // Assert
        Assert.Null(problem);
        Assert.Equal(new PromoteOptions(true, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(300)), options);
    }

    [Theory]
    [InlineData("--yes")]
    [InlineData("force")]
    [InlineData("--max-wait")]
    [InlineData("--wait")]
    [InlineData("--max-wait", "0")]
    [InlineData("--wait", "0")]
    [InlineData("--wait", "-5")]
    [InlineData("--wait", "+5")]
    [InlineData("--max-wait", "2m")]
    [InlineData("--max-wait", "1.5")]
    [InlineData("--max-wait", "99999999999")]
    [InlineData("--wait", "2147483647")]
    [InlineData("--max-wait", "86401")]
    [InlineData("--force", "--wait", "--max-wait", "10")]
    public void Parse_UnknownIncompleteOrZero_ProblemNamesItAndTheUsage(params string[] arguments)
    {
        // Act
        var (options, problem) = PromoteOptions.Parse(arguments);

        // Assert
        Assert.Null(options);
        Assert.NotNull(problem);
        Assert.Contains("unknown or incomplete option", problem, StringComparison.Ordinal);
        Assert.Contains("pgstandby promote [--force] [--max-wait SECONDS] [--wait SECONDS]", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueMissing_NamesTheOptionWithoutItsValue()
    {
        // Act
        var (_, problem) = PromoteOptions.Parse(["--force", "--max-wait"]);

        // Assert
        Assert.StartsWith("unknown or incomplete option '--max-wait'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ZeroSeconds_NamesTheOption()
    {
        // Act
        var (_, problem) = PromoteOptions.Parse(["--wait", "0"]);

        // Assert
        Assert.StartsWith("unknown or incomplete option '--wait'", problem, StringComparison.Ordinal);
    }
}
