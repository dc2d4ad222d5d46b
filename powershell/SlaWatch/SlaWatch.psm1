#Requires -Version 5.1
<#
    SlaWatch root module.

    Layout (ImportExcel / Sampler style): one function per file, Public/ functions are exported (the list in
    SlaWatch.psd1 is the contract), Private/ functions are module-internal helpers. Module-wide state lives in
    $script: variables initialised here and nowhere else.
#>

# Module-wide state -----------------------------------------------------------------------------------------------
# Windows PowerShell 5.1 has no $IsWindows; it only runs on Windows.
$script:IsWindowsPlatform = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
# Windows PowerShell 5.1 (.NET Framework) needs the \\?\ prefix for paths over 260 characters; .NET (PowerShell 7) does not.
$script:NeedsLongPathPrefix = $script:IsWindowsPlatform -and ($PSVersionTable.PSEdition -ne 'Core')
# Access/refresh tokens of the current process (see Get-SlaWatchAccessToken); never logged.
$script:SlaWatchTokenCache = $null
# Log target for the current run (see Initialize-SlaWatchLog); $null means "streams only".
$script:SlaWatchLog = $null
# The one date format of the report contract, always applied to UTC values.
$script:DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:Utf8NoBom = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false

# Windows PowerShell 5.1 may default to TLS 1.0/1.1, which AWS endpoints refuse.
if ($PSVersionTable.PSEdition -ne 'Core') {
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor
        [System.Net.SecurityProtocolType]::Tls12
}

# Load functions ---------------------------------------------------------------------------------------------------
$private = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Private') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)
$public = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)

foreach ($file in @($private + $public)) {
    try {
        . $file.FullName
    }
    catch {
        throw "SlaWatch: failed to load $($file.FullName): $($_.Exception.Message)"
    }
}

Export-ModuleMember -Function @($public | ForEach-Object -Process { $_.BaseName })
