using Switchyard.Cli;

return await CliApp.RunAsync(args);
