using System.Net;
using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary>Asserts that a response is problem details with the expected status and stable code.</summary>
public static class ProblemAssert
{
    public static async Task<ProblemDto> IsProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ProblemDto, TestContext.Current.CancellationToken);
        Assert.NotNull(problem);
        Assert.Equal(code, problem.Code);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }
}
