; The Windows installer of EstateDesk (物业服务台): an Inno Setup 6 script (6.3 or newer, for the
; x64compatible architecture names) wrapping the one-folder bundle that
;     py -3.11 packaging\build.py bundle
; leaves in dist\EstateDesk\ (EstateDesk.exe, the window; estatedesk-cli.exe, the same program
; for commands). Compile it with
;     ISCC /DAppVersion=0.1.0 packaging\windows\estatedesk.iss
; into packaging\windows\Output\EstateDesk-0.1.0-setup.exe. Optional defines:
;     /DBundleDir=FOLDER         another bundle (default: ..\..\dist\EstateDesk from here)
;     /DChineseMessages=FILE     a ChineseSimplified.isl of your own (default: the compiler's
;                                Languages folder, else a copy beside this script)
;
; What it does, and what it leaves alone on purpose (packaging\BUILD.md has the IT person's steps):
; - installs for the current user (no administrator needed) or for all users, chosen in a dialog;
;   an upgrade keeps the mode, the folder and the AppId of the installed copy and installs over it;
; - never touches the office's data: the settings in %APPDATA%\EstateDesk, the database, scans
;   and logs in %LOCALAPPDATA%\EstateDesk belong to the program, which makes, upgrades (after a
;   checked copy) and backs them up itself. Nothing in this script writes, moves or deletes them,
;   on install, upgrade or uninstall: there is deliberately no [UninstallDelete] for them;
; - the nightly backup offered at install is set up by the program itself
;   (estatedesk-cli.exe schedule-backup --at HH:MM --to FOLDER, a Task Scheduler entry) and
;   removed by it at uninstall (schedule-backup --off), so that the installer and a later
;   `schedule-backup` by hand share one task and one record of it.

; pyproject.toml's version; the build passes the real one with /DAppVersion=... (dotted numbers
; only: it is also the Windows file version of the installer)
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppTitle "物业服务台 (EstateDesk)"
#define ShortcutName "物业服务台"
#define Root AddBackslash(SourcePath) + "..\.."
#ifndef BundleDir
  #define BundleDir Root + "\dist\EstateDesk"
#endif
#if !FileExists(AddBackslash(BundleDir) + "EstateDesk.exe") || !FileExists(AddBackslash(BundleDir) + "estatedesk-cli.exe")
  #error The bundle is not built: run  py -3.11 packaging\build.py bundle  first, or pass /DBundleDir=FOLDER
#endif
; The window creates this mutex while it runs (Local and Global, so that a copy open in another
; user's session counts too); the names are case-sensitive.
#define AppMutexNames "EstateDeskRunning,Global\EstateDeskRunning"
; models/schedule.py TASK_NAME: the Task Scheduler entry `schedule-backup` makes
#define SchedulerTask "EstateDesk backup"
#define GuideDir "_internal\resources\guide"
#define GuideZh "物业服务台操作手册.pdf"
#define GuideEn "EstateDesk-guide.pdf"

; The Simplified Chinese messages: recent Inno Setup releases ship them in their Languages
; folder, older 6.x releases do not (the translation is then on the Inno Setup translations page).
#ifndef ChineseMessages
  #if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
    #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
  #elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
    #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
  #else
    #error ChineseSimplified.isl is missing: put it in the Inno Setup Languages folder or beside this script (see packaging\BUILD.md), or pass /DChineseMessages=FILE
  #endif
#endif

[Setup]
; One fixed AppId for every version: a newer installer finds the installed copy and upgrades it.
AppId={{F409582F-4A2D-4DC1-9573-04E0F82DF5EF}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=EstateDesk
UninstallDisplayName={#AppTitle}
UninstallDisplayIcon={app}\EstateDesk.exe
VersionInfoVersion={#AppVersion}
VersionInfoProductName=EstateDesk
VersionInfoDescription={#AppTitle} Setup
; An ASCII folder and ASCII file names: Chinese only in what people read (shortcuts, wizard).
DefaultDirName={autopf}\EstateDesk
DefaultGroupName={#ShortcutName}
DisableProgramGroupPage=yes
; shown on the first install only; an upgrade goes into the folder of the installed copy
DisableDirPage=auto
; "Only for me" (no administrator) by default, "For all users" after a UAC prompt; an upgrade
; keeps the mode of the installed copy without asking.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
UsePreviousPrivileges=yes
; The nightly backup box starts unticked on an upgrade as well: an upgrade never replaces a
; schedule set up since (by hand, with a password); tick it to set a new one.
UsePreviousTasks=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; An upgrade or uninstall first asks to close a running EstateDesk (AppMutex, looked for when
; Setup starts, and again in PrepareToInstall below); whatever still holds the program's files
; then (a nightly backup running, a window opened meanwhile) is closed by Windows' Restart
; Manager. Each office action is one transaction, so closing never leaves data half-written.
; Nothing is started again afterwards.
AppMutex={#AppMutexNames}
SetupMutex=EstateDeskSetup,Global\EstateDeskSetup
CloseApplications=force
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
OutputDir=Output
OutputBaseFilename=EstateDesk-{#AppVersion}-setup
#if FileExists(Root + "\resources\icons\estatedesk.ico")
SetupIconFile={#Root}\resources\icons\estatedesk.ico
#endif
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; a log in %TEMP% ("Setup Log YYYY-MM-DD #NNN.txt") for every install: the first thing to read
SetupLogging=yes

[Languages]
Name: "chs"; MessagesFile: "{#ChineseMessages}"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chs.AppComment=业主档案、钥匙、包裹、报修、收费与收据
en.AppComment=Owners, keys, parcels, repairs, fees and receipts of the estate
chs.GuideEnName=EstateDesk guide (English)
en.GuideEnName=EstateDesk guide (English)
chs.NightlyBackupGroup=数据备份：
en.NightlyBackupGroup=Backups:
chs.NightlyBackupTask=每晚自动备份
en.NightlyBackupTask=Back up every night
chs.TimePageCaption=每晚自动备份
en.TimePageCaption=Nightly backup
chs.TimePageDescription=每天几点备份？
en.TimePageDescription=At what time each day?
chs.TimePageSubCaption=每天到这个时间，物业服务台会把办公室的数据备份一次（24 小时制，时:分，例如 21:30）。%n%n到时这台电脑必须开着，并且已经登录 Windows。如果办公室晚上关电脑，请填下班前的时间，例如 17:30。
en.TimePageSubCaption=Each day at this time EstateDesk backs up the office's data (24-hour clock, HH:MM, for example 21:30).%n%nThe computer must be on and signed in to Windows at that time. If the office switches its computers off at night, choose a time before closing, for example 17:30.
chs.TimePrompt=备份时间（时:分）：
en.TimePrompt=Time (HH:MM):
chs.TimeEmpty=请填写每天备份的时间，例如 21:30。
en.TimeEmpty=Type the time of the daily backup, for example 21:30.
chs.TimeInvalid=“%1”不是有效的时间。%n%n请按 24 小时制填写“时:分”，从 00:00 到 23:59，例如 21:30。
en.TimeInvalid=The time %1 is not valid.%n%nWrite it as hours:minutes on the 24-hour clock, from 00:00 to 23:59, for example 21:30.
chs.FolderPageCaption=每晚自动备份
en.FolderPageCaption=Nightly backup
chs.FolderPageDescription=备份放在哪里？
en.FolderPageDescription=Where do the backups go?
chs.FolderPageSubCaption=备份放在这个文件夹里。最好选U盘或另一块硬盘：电脑的硬盘坏了，放在同一块硬盘上的备份也会一起丢失。用U盘的话，请现在插好。%n%n安装程序会建好这个文件夹；以后卸载物业服务台时，这个文件夹和里面的备份都会保留。
en.FolderPageSubCaption=The backups go into this folder. A USB stick or another disk is best: if the computer's disk fails, backups on the same disk are lost with it. If you use a USB stick, plug it in now.%n%nSetup makes this folder; uninstalling EstateDesk later leaves the folder and its backups where they are.
chs.FolderPrompt=备份文件夹：
en.FolderPrompt=Backup folder:
chs.FolderEmpty=请选择放备份的文件夹，例如U盘上的 E:\EstateDesk-backups。
en.FolderEmpty=Choose the folder the backups go into, for example E:\EstateDesk-backups on a USB stick.
chs.FolderNotFull=%1 不是完整的文件夹路径。请写成带盘符的完整路径，例如 E:\EstateDesk-backups，或点“浏览”选择。
en.FolderNotFull=%1 is not a whole folder path. Write it with its drive, for example E:\EstateDesk-backups, or click Browse.
chs.FolderDriveMissing=现在找不到 %2（%1 所在的磁盘）。如果是U盘，请插好后再点“下一步”；也可以选择别的文件夹。
en.FolderDriveMissing=%2, the drive of %1, is not there now. If it is a USB stick, plug it in and click Next again, or choose another folder.
chs.FolderInsideApp=备份不能放在物业服务台的安装文件夹里（每次升级都会替换那里的文件）。请选择别的文件夹。
en.FolderInsideApp=The backups cannot go into EstateDesk's own program folder (its files are replaced on every upgrade). Choose another folder.
chs.FolderSameDisk=备份文件夹和物业服务台的数据在同一个磁盘（%1）上：这块硬盘坏了，数据和备份会一起丢失。最好选U盘或另一块硬盘。%n%n仍然备份到这里吗？
en.FolderSameDisk=The backup folder is on the same disk (%1) as EstateDesk's data: if that disk fails, the data and its backups are lost together. A USB stick or another disk is better.%n%nBack up here anyway?
chs.ReadyNightly=每晚自动备份：
en.ReadyNightly=Nightly backup:
chs.ReadyNightlyLine=每天 %1，备份到 %2
en.ReadyNightlyLine=every day at %1, into %2
chs.StatusScheduling=正在设置每晚自动备份...
en.StatusScheduling=Setting up the nightly backup...
chs.ScheduleFailed=没能设置每晚自动备份。物业服务台已经装好，可以正常使用。%n%n请用平时使用物业服务台的 Windows 账户登录，在“命令提示符”里运行：%n%n"%1" schedule-backup --at %2 --to "%3"%n%n原因记录在该账户的 AppData\Local\EstateDesk\Logs\commands.log 文件里。设置好之前，请用“文件 → 备份…”（Ctrl+B）手动备份。
en.ScheduleFailed=The nightly backup could not be set up. EstateDesk itself is installed and ready to use.%n%nSigned in to Windows as the user who uses EstateDesk, run in a Command Prompt:%n%n"%1" schedule-backup --at %2 --to "%3"%n%nThe reason is in that user's AppData\Local\EstateDesk\Logs\commands.log. Until then, back up by hand (Ctrl+B in EstateDesk).

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "nightlybackup"; Description: "{cm:NightlyBackupTask}"; GroupDescription: "{cm:NightlyBackupGroup}"; Flags: unchecked

[InstallDelete]
; The bundle's libraries are replaced as a whole: a module an older version had and this one
; dropped must not stay behind to be imported. Only the program's own files live there.
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
; The backup folder the nightly backup writes into; never removed, with the backups in it.
Name: "{code:BackupFolder}"; Tasks: nightlybackup; Flags: uninsneveruninstall

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#ShortcutName}"; Filename: "{app}\EstateDesk.exe"; WorkingDir: "{app}"; Comment: "{cm:AppComment}"
#if FileExists(AddBackslash(BundleDir) + GuideDir + "\" + GuideZh)
Name: "{group}\物业服务台操作手册"; Filename: "{app}\{#GuideDir}\{#GuideZh}"
#endif
#if FileExists(AddBackslash(BundleDir) + GuideDir + "\" + GuideEn)
Name: "{group}\{cm:GuideEnName}"; Filename: "{app}\{#GuideDir}\{#GuideEn}"
#endif
Name: "{group}\{cm:UninstallProgram,{#ShortcutName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#ShortcutName}"; Filename: "{app}\EstateDesk.exe"; WorkingDir: "{app}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
; The nightly backup, set up by the program as the person who started Setup (not the
; administrator account a UAC prompt may have switched to): the task and the office whose data
; it backs up are theirs. [Run] does not look at the exit code, so CheckNightlyBackup asks Task
; Scheduler afterwards and says so when no task is there.
Filename: "{app}\estatedesk-cli.exe"; Parameters: "schedule-backup --at {code:BackupTime} --to ""{code:BackupFolderArg}"""; WorkingDir: "{app}"; StatusMsg: "{cm:StatusScheduling}"; Tasks: nightlybackup; Flags: runhidden waituntilterminated runasoriginaluser; AfterInstall: CheckNightlyBackup
Filename: "{app}\EstateDesk.exe"; Description: "{cm:LaunchProgram,{#ShortcutName}}"; WorkingDir: "{app}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; No task left in Task Scheduler pointing to a removed program. Runs whether or not Setup set
; the schedule up (it may have been set by hand since); RunOnceId: once, however many upgrades
; added this entry to the uninstall log.
Filename: "{app}\estatedesk-cli.exe"; Parameters: "schedule-backup --off"; WorkingDir: "{app}"; Flags: runhidden waituntilterminated skipifdoesntexist; RunOnceId: "EstateDeskScheduleOff"

[Code]
const
  NightlyTask = 'nightlybackup';
  DefaultTime = '21:30';
  BackupFolderName = 'EstateDesk-backups';
  DriveRemovable = 2;
  FailCriticalErrors = 1;

var
  TimePage: TInputQueryWizardPage;
  FolderPage: TInputDirWizardPage;

function WinGetDriveType(lpRootPathName: String): Cardinal;
  external 'GetDriveTypeW@kernel32.dll stdcall';
function WinSetErrorMode(uMode: Cardinal): Cardinal;
  external 'SetErrorMode@kernel32.dll stdcall';

{ %n made line breaks: CustomMessage returns a message as written (only the cm: constant
  expands them). }
function Lines(const Text: String): String;
var
  S: String;
begin
  S := Text;
  StringChangeEx(S, '%n', #13#10, True);
  Result := S;
end;

{ A custom message with its %1, %2 and %3 filled in. }
function Said(const Name, Arg1, Arg2, Arg3: String): String;
begin
  Result := FmtMessage(Lines(CustomMessage(Name)), [Arg1, Arg2, Arg3]);
end;

{ A refusal on a wizard page: shown (suppressed in a /SUPPRESSMSGBOXES run, where returning
  False from NextButtonClick ends Setup) and written to the setup log either way. }
procedure Refuse(const Text: String);
begin
  Log('Refused: ' + Text);
  SuppressibleMsgBox(Text, mbError, MB_OK, IDOK);
end;

{ A value given on Setup's command line (/BACKUPTIME=21:30, /BACKUPDIR="E:\..."), else Fallback. }
function CommandLineOr(const Name, Fallback: String): String;
begin
  Result := Trim(ExpandConstant('{param:' + Name + '}'));
  if Result = '' then
    Result := Fallback;
end;

function IsDigits(const S: String): Boolean;
var
  I: Integer;
begin
  Result := Length(S) > 0;
  for I := 1 to Length(S) do
    if (S[I] < '0') or (S[I] > '9') then
      Result := False;
end;

function TwoDigits(const N: Integer): String;
begin
  Result := IntToStr(N);
  if N < 10 then
    Result := '0' + Result;
end;

{ 21:30, 9:05 and 21：30 (a Chinese input method's colon) are times; Normal gets HH:MM. }
function NormalTime(const Text: String; var Normal: String): Boolean;
var
  S: String;
  Colon, Hours, Minutes: Integer;
begin
  Result := False;
  S := Trim(Text);
  StringChangeEx(S, '：', ':', True);
  Colon := Pos(':', S);
  if (Colon < 2) or (Colon > 3) or (Length(S) <> Colon + 2) then
    Exit;
  if not IsDigits(Copy(S, 1, Colon - 1)) or not IsDigits(Copy(S, Colon + 1, 2)) then
    Exit;
  Hours := StrToInt(Copy(S, 1, Colon - 1));
  Minutes := StrToInt(Copy(S, Colon + 1, 2));
  if (Hours > 23) or (Minutes > 59) then
    Exit;
  Normal := TwoDigits(Hours) + ':' + TwoDigits(Minutes);
  Result := True;
end;

{ The folder as typed, tidied: no quotes or surrounding spaces, backslashes, no trailing one
  (except on a drive's root, E:\). }
function CleanFolder(const Given: String): String;
var
  S: String;
begin
  S := RemoveQuotes(Trim(Given));
  StringChangeEx(S, '/', '\', True);
  Result := RemoveBackslashUnlessRoot(S);
end;

{ E:\... or \\server\share\...: a drive-relative or relative path would mean something else to
  the scheduled task than to this wizard. }
function IsFullPath(const Path: String): Boolean;
begin
  Result := False;
  if Length(Path) >= 3 then begin
    if (Path[2] = ':') and (Path[3] = '\') then
      Result := True
    else if Copy(Path, 1, 2) = '\\' then
      Result := True;
  end;
end;

function IsInside(const Folder, Parent: String): Boolean;
var
  F, P: String;
begin
  F := Uppercase(AddBackslash(Folder));
  P := Uppercase(AddBackslash(Parent));
  Result := (Length(P) > 3) and (Copy(F, 1, Length(P)) = P);
end;

{ The first USB stick (a removable drive with a disk in it) as the suggested backup folder; an
  empty card reader is passed over without Windows asking for a disk (models/backup.py does the
  same when it lists the sticks). }
function SuggestedBackupFolder: String;
var
  Letter: Integer;
  Drive: String;
  OldMode: Cardinal;
begin
  Result := '';
  OldMode := WinSetErrorMode(FailCriticalErrors);
  try
    for Letter := Ord('D') to Ord('Z') do begin
      Drive := Chr(Letter) + ':\';
      if WinGetDriveType(Drive) = DriveRemovable then
        if DirExists(Drive) then begin
          Result := Drive + BackupFolderName;
          Exit;
        end;
    end;
  finally
    WinSetErrorMode(OldMode);
  end;
end;

procedure InitializeWizard;
var
  Folder: String;
begin
  TimePage := CreateInputQueryPage(wpSelectTasks, CustomMessage('TimePageCaption'),
    CustomMessage('TimePageDescription'), Said('TimePageSubCaption', '', '', ''));
  TimePage.Add(CustomMessage('TimePrompt'), False);
  TimePage.Values[0] := CommandLineOr('BACKUPTIME', GetPreviousData('BackupTime', DefaultTime));

  { AAppendDir: a drive or folder picked with Browse gets \EstateDesk-backups appended }
  FolderPage := CreateInputDirPage(TimePage.ID, CustomMessage('FolderPageCaption'),
    CustomMessage('FolderPageDescription'), Said('FolderPageSubCaption', '', '', ''), True, BackupFolderName);
  FolderPage.Add(CustomMessage('FolderPrompt'));
  Folder := CommandLineOr('BACKUPDIR', GetPreviousData('BackupFolder', ''));
  if Folder = '' then
    Folder := SuggestedBackupFolder;
  FolderPage.Values[0] := Folder;
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := ((PageID = TimePage.ID) or (PageID = FolderPage.ID)) and not WizardIsTaskSelected(NightlyTask);
end;

function TimeAccepted: Boolean;
var
  Normal: String;
begin
  Result := NormalTime(TimePage.Values[0], Normal);
  if Result then
    TimePage.Values[0] := Normal
  else if Trim(TimePage.Values[0]) = '' then
    Refuse(Said('TimeEmpty', '', '', ''))
  else
    Refuse(Said('TimeInvalid', Trim(TimePage.Values[0]), '', ''));
end;

function FolderAccepted: Boolean;
var
  Folder, Drive, DataDrive: String;
begin
  Result := False;
  Folder := CleanFolder(FolderPage.Values[0]);
  if Folder = '' then begin
    Refuse(Said('FolderEmpty', '', '', ''));
    Exit;
  end;
  if not IsFullPath(Folder) then begin
    Refuse(Said('FolderNotFull', Folder, '', ''));
    Exit;
  end;
  Drive := ExtractFileDrive(Folder);
  if not DirExists(AddBackslash(Drive)) then begin
    Refuse(Said('FolderDriveMissing', Folder, Drive, ''));
    Exit;
  end;
  if IsInside(Folder, WizardDirValue) then begin
    Refuse(Said('FolderInsideApp', '', '', ''));
    Exit;
  end;
  { the office's data is in %LOCALAPPDATA%\EstateDesk (a server office's is elsewhere: then this
    is only a question, answered Yes in a silent install) }
  DataDrive := ExtractFileDrive(ExpandConstant('{localappdata}'));
  if SameText(Drive, DataDrive) then
    if SuppressibleMsgBox(Said('FolderSameDisk', Drive, '', ''), mbConfirmation, MB_YESNO, IDYES) <> IDYES then
      Exit;
  FolderPage.Values[0] := Folder;
  Result := True;
end;

{ Also called on a silent install (Setup "clicks" Next itself): a bad /BACKUPTIME or /BACKUPDIR
  ends Setup there, with the reason in its log, before anything is installed. }
function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if CurPageID = TimePage.ID then
    Result := TimeAccepted
  else if CurPageID = FolderPage.ID then
    Result := FolderAccepted;
end;

function BackupTime(Param: String): String;
begin
  Result := TimePage.Values[0];
end;

function BackupFolder(Param: String): String;
begin
  Result := CleanFolder(FolderPage.Values[0]);
end;

{ The folder for --to "...": a trailing backslash (E:\) would escape the closing quote when the
  program reads its command line, so it is doubled (E:\\ reads back as E:\). }
function BackupFolderArg(Param: String): String;
begin
  Result := BackupFolder('');
  if Copy(Result, Length(Result), 1) = '\' then
    Result := Result + '\';
end;

procedure RegisterPreviousData(PreviousDataKey: Integer);
begin
  { kept for the next upgrade's pages, whether or not the box was ticked this time }
  SetPreviousData(PreviousDataKey, 'BackupTime', TimePage.Values[0]);
  SetPreviousData(PreviousDataKey, 'BackupFolder', BackupFolder(''));
end;

function UpdateReadyMemo(Space, NewLine, MemoUserInfoInfo, MemoDirInfo, MemoTypeInfo,
  MemoComponentsInfo, MemoGroupInfo, MemoTasksInfo: String): String;
begin
  Result := '';
  if MemoDirInfo <> '' then
    Result := Result + MemoDirInfo + NewLine + NewLine;
  if MemoGroupInfo <> '' then
    Result := Result + MemoGroupInfo + NewLine + NewLine;
  if MemoTasksInfo <> '' then
    Result := Result + MemoTasksInfo + NewLine + NewLine;
  if WizardIsTaskSelected(NightlyTask) then
    Result := Result + CustomMessage('ReadyNightly') + NewLine + Space +
      Said('ReadyNightlyLine', BackupTime(''), BackupFolder(''), '') + NewLine;
end;

{ AppMutex is looked for only when Setup starts, and EstateDesk may have been opened while the
  wizard was up: ask again, in Setup's own words, before anything is replaced. Cancel (or a
  silent install with /SUPPRESSMSGBOXES) stops Setup here with nothing changed. }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  Running: String;
begin
  Result := '';
  Running := FmtMessage(Lines(SetupMessage(msgSetupAppRunningError)), ['{#AppTitle}']);
  while CheckForMutexes('{#AppMutexNames}') do
    if SuppressibleMsgBox(Running, mbError, MB_OKCANCEL, IDCANCEL) <> IDOK then begin
      Result := Running;
      Exit;
    end;
end;

{ After the [Run] entry of schedule-backup: is the task in Task Scheduler? If not, the clerk is
  told how to set it up by hand; the install itself stands. }
procedure CheckNightlyBackup;
var
  ResultCode: Integer;
begin
  if Exec(ExpandConstant('{sys}\schtasks.exe'), '/Query /TN "{#SchedulerTask}"', '', SW_HIDE,
          ewWaitUntilTerminated, ResultCode) and (ResultCode = 0) then begin
    Log('Nightly backup: the task "{#SchedulerTask}" is in Task Scheduler');
    Exit;
  end;
  Log('Nightly backup: no task "{#SchedulerTask}" in Task Scheduler after schedule-backup');
  SuppressibleMsgBox(Said('ScheduleFailed', ExpandConstant('{app}\estatedesk-cli.exe'), BackupTime(''),
    BackupFolder('')), mbError, MB_OK, IDOK);
end;
