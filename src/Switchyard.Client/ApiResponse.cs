using System.Net;
using System.Net.Http.Headers;

namespace Switchyard.Client;

/// <summary>A successful answer: its body, status and headers.</summary>
internal readonly record struct ApiResponse<T>(T Value, HttpStatusCode Status, HttpResponseHeaders Headers);
