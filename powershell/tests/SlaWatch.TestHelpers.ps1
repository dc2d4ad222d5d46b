<#
    Helpers shared by the SlaWatch Pester tests. Dot-source in BeforeAll (and in BeforeDiscovery where a helper is
    needed to build test cases). Kept ASCII-only: Windows PowerShell 5.1 reads BOM-less files in the ANSI code page.
#>

function Get-TestRepoRoot {
    (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
}

function Get-TestModulePath {
    Join-Path -Path (Get-TestRepoRoot) -ChildPath 'powershell/SlaWatch/SlaWatch.psd1'
}

function Get-TestPowerShellPath {
    # The executable of the PowerShell running the tests, to start the entry script the way Task Scheduler does.
    # Not (Get-Process -Id $PID).Path: a pwsh installed as a .NET tool runs as `dotnet pwsh.dll`, so that is dotnet.
    foreach ($name in @('pwsh.exe', 'pwsh', 'powershell.exe')) {
        $candidate = Join-Path -Path $PSHOME -ChildPath $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    (Get-Process -Id $PID).Path
}

function Read-TestJson {
    param([Parameter(Mandatory = $true)][string]$Path)
    # UTF-8 explicitly: Get-Content on 5.1 would use the ANSI code page and mangle non-ASCII names.
    ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8))
}

function Write-TestJson {
    param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][object]$Value)
    $directory = Split-Path -Path $Path -Parent
    if (-not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    $json = ConvertTo-Json -InputObject $Value -Depth 10
    [System.IO.File]::WriteAllText($Path, $json, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
    $Path
}

function ConvertTo-TestUtc {
    # PowerShell 7's ConvertFrom-Json turns ISO strings into DateTime; 5.1 leaves them strings.
    param([Parameter(Mandatory = $true)][object]$Value)
    if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
    [datetime]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture,
        [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
}

function New-TestRoot {
    param([string]$Prefix = 'case')
    $path = Join-Path -Path $TestDrive -ChildPath ('{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory -Path $path -Force
    $path
}

function New-TestFile {
    # Creates an empty file (parents included) with the given ages, in seconds before AsOf.
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][datetime]$AsOf,
        [double]$CreationAgeSeconds = 3600,
        [double]$LastWriteAgeSeconds = 3600,
        [switch]$Hidden,
        [byte[]]$Content = @()
    )
    $directory = Split-Path -Path $Path -Parent
    if (-not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    [System.IO.File]::WriteAllBytes($Path, $Content)
    if ($Hidden) {
        # Windows: the Hidden attribute; elsewhere .NET derives Hidden from the leading dot of the name.
        $info = New-Object -TypeName System.IO.FileInfo -ArgumentList $Path
        $info.Attributes = $info.Attributes -bor [System.IO.FileAttributes]::Hidden
    }
    [System.IO.File]::SetCreationTimeUtc($Path, $AsOf.AddSeconds(-$CreationAgeSeconds))
    [System.IO.File]::SetLastWriteTimeUtc($Path, $AsOf.AddSeconds(-$LastWriteAgeSeconds))
    $script:TestCreationTimes[[System.IO.Path]::GetFullPath($Path)] = $AsOf.AddSeconds(-$CreationAgeSeconds)
}

# Creation times New-TestFile asked for, by full path: off Windows "creation" is the inode change time, which no
# program can set, so Use-TestCreationSeam hands these to the scanner instead (the Python tests' file-times seam).
$script:TestCreationTimes = @{}

function Use-TestCreationSeam {
    # Off Windows: the module's change-time reader returns the creation times New-TestFile recorded. Call it in
    # a BeforeAll/BeforeEach. On Windows nothing changes: creation times are real there.
    if (($PSVersionTable.PSEdition -ne 'Core') -or $IsWindows) { return }
    Mock -ModuleName SlaWatch -CommandName Get-SlaWatchUnixStat -MockWith {
        $created = $script:TestCreationTimes[$Entry.FullName]
        if ($null -eq $created) { $created = $Entry.LastWriteTimeUtc }
        @{ IsRegular = $true; CreationTimeUtc = $created }
    }
}

function New-VectorTree {
    # Builds one vector's folder under Root, as the vector file's description says.
    param([Parameter(Mandatory = $true)][object]$Vector, [Parameter(Mandatory = $true)][string]$Root, [Parameter(Mandatory = $true)][datetime]$AsOf)
    $folder = Join-Path -Path $Root -ChildPath $Vector.folder.path
    $create = $true
    if (($null -ne $Vector.PSObject.Properties['createFolder']) -and ($Vector.createFolder -eq $false)) { $create = $false }
    if (-not $create) { return }
    $null = New-Item -ItemType Directory -Path $folder -Force
    foreach ($file in @($Vector.files)) {
        $relative = ([string]$file.name).Replace('/', [string][System.IO.Path]::DirectorySeparatorChar)
        $hidden = ($null -ne $file.PSObject.Properties['hidden']) -and [bool]$file.hidden
        New-TestFile -Path (Join-Path -Path $folder -ChildPath $relative) -AsOf $AsOf -Hidden:$hidden `
            -CreationAgeSeconds $file.creationAgeSeconds -LastWriteAgeSeconds $file.lastWriteAgeSeconds
    }
}

function New-TestConfig {
    <#
        Writes a valid configuration whose api/auth point at fake endpoints, with spool, dead-letter and log
        folders under Root. Folders are hashtables or objects (config entries with absolute paths). The age basis
        defaults to lastWrite (see below).
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Root,
        [object[]]$Folders = @(),
        [object]$Defaults,
        [hashtable]$Api = @{},
        [hashtable]$Delivery = @{},
        [hashtable]$Spool = @{},
        [hashtable]$Scanner,
        [string]$ConfigPath
    )
    $config = [ordered]@{
        api      = [ordered]@{ url = 'https://api.test/prod/reports'; timeoutSeconds = 5; maxRequestBytes = 5242880 }
        auth     = [ordered]@{ region = 'eu-west-1'; clientId = 'test-client'; endpoint = 'https://cognito.test/'; credentialPath = (Join-Path -Path $Root -ChildPath 'state/scanner.credential.xml') }
        delivery = [ordered]@{ maxAttempts = 3; baseDelaySeconds = 1; maxDelaySeconds = 4 }
        spool    = [ordered]@{ directory = (Join-Path -Path $Root -ChildPath 'state/spool'); deadLetterDirectory = (Join-Path -Path $Root -ChildPath 'state/dead-letter'); maxFiles = 50; maxBytes = 10485760 }
        log      = [ordered]@{ directory = (Join-Path -Path $Root -ChildPath 'state/logs'); maxBytes = 1048576; keep = 3; eventLog = $false }
        folders  = @($Folders)
    }
    foreach ($key in $Api.Keys) { $config.api[$key] = $Api[$key] }
    foreach ($key in $Delivery.Keys) { $config.delivery[$key] = $Delivery[$key] }
    foreach ($key in $Spool.Keys) { $config.spool[$key] = $Spool[$key] }
    if ($null -ne $Scanner) { $config.scanner = $Scanner }
    # lastWrite unless told otherwise: .NET cannot set a creation time on Linux, and these tests run there too
    # (the creation and newest bases are covered by the shared vectors, on Windows).
    if ($null -ne $Defaults) { $config.defaults = $Defaults } else { $config.defaults = [ordered]@{ ageBasis = 'lastWrite' } }
    if (-not $ConfigPath) { $ConfigPath = Join-Path -Path $Root -ChildPath 'state/slawatch.json' }
    Write-TestJson -Path $ConfigPath -Value $config
}

function New-VectorConfig {
    # A configuration holding the vectors' folders (in the given order) under Root, merged over the vector defaults.
    param([Parameter(Mandatory = $true)][string]$Root, [Parameter(Mandatory = $true)][object[]]$Vectors, [Parameter(Mandatory = $true)][object]$Defaults, [string]$ConfigPath)
    $folders = foreach ($vector in $Vectors) {
        $entry = [ordered]@{}
        foreach ($property in $vector.folder.PSObject.Properties) { $entry[$property.Name] = $property.Value }
        $entry.path = Join-Path -Path $Root -ChildPath $vector.folder.path
        $entry
    }
    if (-not $ConfigPath) { $ConfigPath = "$Root.config.json" }
    New-TestConfig -Root "$Root.state" -Folders @($folders) -Defaults $Defaults -ConfigPath $ConfigPath
}

function Get-TestTimestampSupport {
    <#
        Can a test give a file a creation time apart from its last-write time? Windows (NTFS): yes. Elsewhere the
        scanner's "creation" is the inode change time, which tests supply through Use-TestCreationSeam: yes too.
    #>
    if (-not (($PSVersionTable.PSEdition -ne 'Core') -or $IsWindows)) { return @{ Independent = $true; CreationFollowsLastWrite = $false } }
    $directory = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('slawatch-probe-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $directory -Force
    try {
        $file = Join-Path -Path $directory -ChildPath 'probe.txt'
        [System.IO.File]::WriteAllBytes($file, [byte[]]@())
        $created = New-Object -TypeName datetime -ArgumentList 2001, 2, 3, 4, 5, 6, ([System.DateTimeKind]::Utc)
        $written = $created.AddDays(400)
        [System.IO.File]::SetCreationTimeUtc($file, $created)
        [System.IO.File]::SetLastWriteTimeUtc($file, $written)
        $independent = ([System.IO.File]::GetCreationTimeUtc($file) -eq $created) -and ([System.IO.File]::GetLastWriteTimeUtc($file) -eq $written)
        [System.IO.File]::SetLastWriteTimeUtc($file, $created)
        $follows = [System.IO.File]::GetCreationTimeUtc($file) -eq $created
        @{ Independent = $independent; CreationFollowsLastWrite = $follows }
    }
    finally {
        Remove-Item -LiteralPath $directory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Get-VectorSkipReason {
    # Why a vector cannot run on this file system ($null when it can).
    param([Parameter(Mandatory = $true)][object]$Vector, [Parameter(Mandatory = $true)][object]$Defaults, [Parameter(Mandatory = $true)][hashtable]$Support)
    if ($Support.Independent) { return $null }
    $basis = $Defaults.ageBasis
    if ($null -ne $Vector.folder.PSObject.Properties['ageBasis']) { $basis = $Vector.folder.ageBasis }
    if ($basis -eq 'lastWrite') { return $null }
    if (-not $Support.CreationFollowsLastWrite) {
        return 'this file system keeps a real birth time that .NET cannot set; the vector runs on the Windows jobs'
    }
    foreach ($file in @($Vector.files)) {
        if ($file.creationAgeSeconds -ne $file.lastWriteAgeSeconds) {
            return 'creation and last-write times cannot differ on this file system; the vector runs on the Windows jobs'
        }
    }
    $null
}

function ConvertTo-CanonicalJson {
    # Compact JSON of a ConvertFrom-Json result, keys in document order; DateTime (PowerShell 7 parses ISO strings) as the contract's format.
    param([AllowNull()][object]$Value)
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string]) { return (ConvertTo-Json -InputObject $Value -Compress) }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [datetime]) { return '"' + $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", $invariant) + '"' }
    if (($Value -is [int]) -or ($Value -is [long]) -or ($Value -is [double]) -or ($Value -is [decimal])) { return [string]::Format($invariant, '{0}', $Value) }
    if ($Value -is [System.Collections.IDictionary]) {
        $parts = foreach ($key in $Value.Keys) { (ConvertTo-Json -InputObject ([string]$key) -Compress) + ':' + (ConvertTo-CanonicalJson -Value $Value[$key]) }
        return '{' + (@($parts) -join ',') + '}'
    }
    if ($Value.GetType().FullName -eq 'System.Management.Automation.PSCustomObject') {
        $parts = foreach ($property in $Value.PSObject.Properties) { (ConvertTo-Json -InputObject $property.Name -Compress) + ':' + (ConvertTo-CanonicalJson -Value $property.Value) }
        return '{' + (@($parts) -join ',') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = foreach ($item in $Value) { ConvertTo-CanonicalJson -Value $item }
        return '[' + (@($parts) -join ',') + ']'
    }
    ConvertTo-Json -InputObject $Value -Compress
}

function ConvertTo-NormalisedReport {
    # The golden report's normalisation: the test root becomes <root> in "folder", and \ becomes / in folder and file names.
    param([Parameter(Mandatory = $true)][string]$Json, [Parameter(Mandatory = $true)][string]$Root)
    $report = ConvertFrom-Json -InputObject $Json
    foreach ($entry in @($report.sla_error)) {
        $folder = [string]$entry.folder
        if ($folder.StartsWith($Root)) { $folder = '<root>' + $folder.Substring($Root.Length) }
        $entry.folder = $folder.Replace('\', '/')
        foreach ($file in @($entry.files)) { $file.filename = ([string]$file.filename).Replace('\', '/') }
    }
    foreach ($outcome in @($report.folders)) {
        $folder = [string]$outcome.folder
        if ($folder.StartsWith($Root)) { $folder = '<root>' + $folder.Substring($Root.Length) }
        $outcome.folder = $folder.Replace('\', '/')
        if ($null -ne $outcome.oldestFile) { $outcome.oldestFile = ([string]$outcome.oldestFile).Replace('\', '/') }
    }
    ConvertTo-CanonicalJson -Value $report
}

function New-TestCredential {
    param([string]$UserName = 'scanner@example.test', [string]$Secret = 'correct horse battery staple')
    $secure = New-Object -TypeName System.Security.SecureString
    foreach ($character in $Secret.ToCharArray()) { $secure.AppendChar($character) }
    New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $UserName, $secure
}

# Fake web responses --------------------------------------------------------------------------------------------------
if (-not ('SlaWatchTest.FakeHttpException' -as [type])) {
    Add-Type -TypeDefinition @'
namespace SlaWatchTest
{
    // Shaped like the .Response of Invoke-WebRequest's exceptions on 5.1 (HttpWebResponse) and 7 (HttpResponseMessage).
    public class FakeHttpResponse
    {
        public FakeHttpResponse(int statusCode, System.Collections.Hashtable headers)
        {
            StatusCode = statusCode;
            Headers = headers ?? new System.Collections.Hashtable();
        }
        public int StatusCode { get; private set; }
        public System.Collections.Hashtable Headers { get; private set; }
    }

    public class FakeHttpException : System.Exception
    {
        public FakeHttpException(string message, FakeHttpResponse response) : base(message)
        {
            Response = response;
        }
        public FakeHttpResponse Response { get; private set; }
    }
}
'@
}

function New-HttpError {
    # An ErrorRecord like the one Invoke-WebRequest throws for an HTTP error (Status > 0) or a network failure (Status 0).
    param([int]$Status, [string]$Body, [hashtable]$Headers = @{})
    if ($Status -gt 0) {
        $response = New-Object -TypeName SlaWatchTest.FakeHttpResponse -ArgumentList $Status, $Headers
        $exception = New-Object -TypeName SlaWatchTest.FakeHttpException -ArgumentList "Response status code does not indicate success: $Status", $response
    }
    else {
        $exception = New-Object -TypeName System.Net.WebException -ArgumentList 'The remote name could not be resolved: api.test'
    }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, 'WebCmdletWebResponseException', [System.Management.Automation.ErrorCategory]::InvalidOperation, $null)
    if ($Body) { $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $Body }
    $record
}

function New-HttpResponse {
    param([int]$Status = 200, [string]$Content = '{}')
    [pscustomobject]@{ StatusCode = $Status; Content = $Content; Headers = @{} }
}

function New-CognitoResponse {
    param([string]$AccessToken = 'access-token-1', [int]$ExpiresIn = 3600, [string]$RefreshToken = 'refresh-token-1')
    $result = [ordered]@{ AccessToken = $AccessToken; ExpiresIn = $ExpiresIn; IdToken = 'id-token-never-sent'; TokenType = 'Bearer' }
    if ($RefreshToken) { $result.RefreshToken = $RefreshToken }
    New-HttpResponse -Status 200 -Content (ConvertTo-Json -InputObject ([ordered]@{ AuthenticationResult = $result }) -Compress)
}

function New-ApiResponse {
    param([string]$ReportId = 'report-1')
    New-HttpResponse -Status 200 -Content ('{{"reportId":"{0}","key":"raw/2026/11/28/{0}.json"}}' -f $ReportId)
}

function Get-TestText {
    # Decodes a request body the way the API does: UTF-8.
    param([byte[]]$Bytes)
    (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetString($Bytes)
}

function Get-TestSha256 {
    param([byte[]]$Bytes)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { [Convert]::ToBase64String($sha.ComputeHash($Bytes)) } finally { $sha.Dispose() }
}
