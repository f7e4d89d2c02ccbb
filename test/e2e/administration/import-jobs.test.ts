/**
 * User import jobs through the SDK (ADMINISTRATION.md §1): the CSV header, creating a job, the
 * upload to its pre-signed URL, starting, stopping, describing and listing jobs, the CSV rules row
 * by row with the job's log, expiry, and the pool operations a running import holds off. The
 * server runs imports synchronously, so a started job has ended when StartUserImportJob answers.
 */
import { createHash } from "node:crypto";
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  DeleteUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advanceClock,
  createClient,
  createPool,
  createUser,
  expectError,
  resetClock,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { createJob, describeJob, jobLog, ROLE_ARN, runImport, s3Error, upload } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ import: { synchronous: true, maxFileBytes: 4096 } });
});
afterAll(async () => server.stop());

const emailPool = () => createPool(server, { PoolName: "import", AutoVerifiedAttributes: ["email"] });

function attributesOf(user: { UserAttributes?: { Name?: string; Value?: string }[] }) {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

describe("GetCSVHeader", () => {
  it("lists the standard attributes, the custom ones, then cognito:mfa_enabled and cognito:username", async () => {
    const poolId = await createPool(server, {
      Schema: [
        { Name: "team", AttributeDataType: "String" },
        { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
      ],
    });
    await server.client.send(
      new AddCustomAttributesCommand({
        UserPoolId: poolId,
        CustomAttributes: [{ Name: "level", AttributeDataType: "Number" }],
      }),
    );
    const out = await server.client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    expect(out.UserPoolId).toBe(poolId);
    expect(out.CSVHeader).toEqual([
      "name",
      "given_name",
      "family_name",
      "middle_name",
      "nickname",
      "preferred_username",
      "profile",
      "picture",
      "website",
      "email",
      "email_verified",
      "gender",
      "birthdate",
      "zoneinfo",
      "locale",
      "phone_number",
      "phone_number_verified",
      "address",
      "updated_at",
      "custom:team",
      "custom:level",
      "cognito:mfa_enabled",
      "cognito:username",
    ]);
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      server.client.send(new GetCSVHeaderCommand({ UserPoolId: "us-east-1_nothere00" })),
      "ResourceNotFoundException",
      "User pool us-east-1_nothere00 does not exist.",
    );
  });
});

describe("CreateUserImportJob", () => {
  it("creates a job in Created with zero counters and a pre-signed URL of this server", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId, "first users");
    expect(job).toMatchObject({
      JobName: "first users",
      UserPoolId: poolId,
      Status: "Created",
      CloudWatchLogsRoleArn: ROLE_ARN,
      ImportedUsers: 0,
      SkippedUsers: 0,
      FailedUsers: 0,
    });
    expect(job.JobId).toMatch(/^import-[0-9A-Za-z]{10}$/);
    expect(job.CreationDate).toBeInstanceOf(Date);
    expect(job.StartDate).toBeUndefined();
    expect(job.CompletionDate).toBeUndefined();
    expect(job.CompletionMessage).toBeUndefined();
    expect(job.PreSignedUrl).toMatch(
      new RegExp(
        `^${server.url}/_cognate/user-import/000000000000/${poolId}/${job.JobId}\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=\\d{8}T\\d{6}Z&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption&X-Amz-Expires=899&X-Amz-Signature=[0-9a-f]{64}$`,
      ),
    );
  });

  it("refuses an unknown pool and malformed input", async () => {
    await expectError(
      server.client.send(
        new StartUserImportJobCommand({ UserPoolId: "us-east-1_nothere00", JobId: "import-x" }),
      ),
      "ResourceNotFoundException",
      "User pool us-east-1_nothere00 does not exist.",
    );
    const poolId = await emailPool();
    const bad = await server.call("CreateUserImportJob", {
      UserPoolId: poolId,
      JobName: "no/slash",
      CloudWatchLogsRoleArn: "role",
    });
    expect(bad.body).toEqual({
      __type: "InvalidParameterException",
      message: expect.stringMatching(
        /^3 validation errors detected: .*cloudWatchLogsRoleArn.*'no\/slash' at 'jobName'/,
      ),
    });
  });

  it("refuses a 1,001st job of the pool", async () => {
    const poolId = await emailPool();
    const template = await server.services.store.userImports.get(
      (await createJob(server, poolId)).JobId as string,
    );
    await server.services.store.transaction(async (tx) => {
      for (let i = 1; i < 1000; i++)
        await tx.userImports.insert({ ...template!, jobId: `import-filler${i}` });
    });
    await expectError(
      createJob(server, poolId),
      "LimitExceededException",
      "A user pool can have at most 1000 user import jobs.",
    );
  });
});

describe("the pre-signed upload URL", () => {
  it("takes the file once signed, with the encryption header, and answers its MD5 as ETag", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId);
    const url = job.PreSignedUrl as string;
    const csv = "cognito:username,email,email_verified\nann,ann@example.com,true\n";

    const tampered = await upload(url.replace(/X-Amz-Signature=[0-9a-f]/, "X-Amz-Signature=z"), csv);
    expect(tampered.status).toBe(403);
    expect(s3Error(tampered.body)).toEqual({
      code: "SignatureDoesNotMatch",
      message:
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    });
    const otherJob = await upload(url.replace(job.JobId as string, "import-0000000000"), csv);
    expect(s3Error(otherJob.body).code).toBe("SignatureDoesNotMatch");
    const noEncryption = await upload(url, csv, {});
    expect([noEncryption.status, s3Error(noEncryption.body).code]).toEqual([403, "SignatureDoesNotMatch"]);
    const tooLarge = await upload(url, `${csv}${"x".repeat(5000)}`);
    expect(tooLarge.status).toBe(400);
    expect(s3Error(tooLarge.body)).toEqual({
      code: "EntityTooLarge",
      message: "Your proposed upload exceeds the maximum allowed size",
    });

    const first = await upload(url, "cognito:username\nnobody\n");
    const md5 = createHash("md5").update("cognito:username\nnobody\n").digest("hex");
    expect(first).toEqual({ status: 200, etag: `"${md5}"`, body: "" });
    // A second upload replaces the first.
    const second = await upload(url, csv);
    expect(second.status).toBe(200);
    await server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    expect(await describeJob(server, poolId, job.JobId as string)).toMatchObject({
      Status: "Succeeded",
      ImportedUsers: 1,
    });

    const afterStart = await upload(url, csv);
    expect(afterStart.status).toBe(403);
    expect(s3Error(afterStart.body)).toEqual({ code: "AccessDenied", message: "Access Denied" });
  });

  it("expires 15 minutes after it was made", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId);
    advanceClock(server, 900_000);
    try {
      const late = await upload(job.PreSignedUrl as string, "cognito:username\n");
      expect(late.status).toBe(403);
      expect(s3Error(late.body)).toEqual({ code: "AccessDenied", message: "Request has expired" });
    } finally {
      resetClock(server);
    }
  });
});

describe("an import", () => {
  it("creates each valid row's user in RESET_REQUIRED, skips existing users, and explains every refused row", async () => {
    const poolId = await createPool(server, {
      PoolName: "import",
      AutoVerifiedAttributes: ["email"],
      AliasAttributes: ["email"],
      MfaConfiguration: "OFF",
      Schema: [{ Name: "team", AttributeDataType: "String" }],
    });
    const { clientId } = await createClient(server, poolId);
    await createUser(server, poolId, "existing", {
      attributes: [
        { Name: "email", Value: "taken@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const csv = [
      "\uFEFFcognito:username, name ,email,email_verified,birthdate,custom:team,cognito:mfa_enabled,phone_number",
      "alice,Alice\\, Smith,alice@example.com,TRUE,12/31/1990,blue,false,",
      'bob,"Bob ""The Builder""",bob@example.com,true,,red,,+15555550100',
      "existing,Someone,someone@example.com,true,,,,",
      "carol,Carol,carol@example.com,false,,,,",
      "dave,Dave,not-an-email,true,,,,",
      "erin,Erin,erin@example.com,true,02/30/1990,,,",
      "frank,Frank,frank@example.com,true,,,true,",
      "grace,Grace,taken@example.com,true,,,,",
      "heidi,Heidi",
      "alice,Alice Again,alice2@example.com,true,,,,",
      "",
    ].join("\n");
    const { jobId, started } = await runImport(server, poolId, csv);
    expect(started).toMatchObject({ Status: "Pending", ImportedUsers: 0 });
    expect(started.StartDate).toBeInstanceOf(Date);

    const job = await describeJob(server, poolId, jobId);
    expect(job).toMatchObject({
      Status: "Succeeded",
      CompletionMessage: "Import Job Completed Successfully.",
      ImportedUsers: 2,
      SkippedUsers: 2,
      FailedUsers: 6,
    });
    expect(job.CompletionDate).toBeInstanceOf(Date);
    expect(await jobLog(server, poolId, jobId)).toEqual([
      "[SKIPPED] Line Number 4 - The user already exists.",
      "[FAILED] Line Number 5 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
      "[FAILED] Line Number 6 - Invalid email address format.",
      "[FAILED] Line Number 7 - birthdate must be a date written mm/dd/yyyy.",
      "[FAILED] Line Number 8 - cognito:mfa_enabled must be false or blank: the user pool has MFA off.",
      "[FAILED] Line Number 9 - An account with the given email already exists.",
      "[FAILED] Line Number 10 - The number of values does not match the number of columns of the header.",
      "[SKIPPED] Line Number 11 - The user already exists.",
      "[INFO] Succeeded: 2 imported, 2 skipped, 6 failed.",
    ]);

    const alice = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice" }),
    );
    expect(alice.UserStatus).toBe("RESET_REQUIRED");
    expect(attributesOf(alice)).toEqual({
      sub: expect.any(String),
      name: "Alice, Smith",
      email: "alice@example.com",
      email_verified: "true",
      birthdate: "1990-12-31",
      "custom:team": "blue",
    });
    const bob = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bob" }));
    expect(attributesOf(bob)).toMatchObject({ name: 'Bob "The Builder"', phone_number: "+15555550100" });
    // Nothing of a refused row was written.
    await expectError(
      server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "grace" })),
      "UserNotFoundException",
      "User does not exist.",
    );
    // An imported user resets the password before signing in; the verified email is an alias.
    await expectError(
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alice@example.com", PASSWORD: "Whatever-1" },
        }),
      ),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
  });

  it("fails when every row is refused", async () => {
    const poolId = await emailPool();
    const { jobId } = await runImport(
      server,
      poolId,
      "cognito:username,email,email_verified\nx,x@example.com,false\n",
    );
    expect(await describeJob(server, poolId, jobId)).toMatchObject({
      Status: "Failed",
      CompletionMessage: "Too many users have failed or been skipped during the import.",
      ImportedUsers: 0,
      FailedUsers: 1,
    });
  });

  it("fails, explained in its log, when the header names a column the pool lacks or omits a required one", async () => {
    const poolId = await emailPool();
    const unknown = await runImport(server, poolId, "cognito:username,email,shoe_size\nx,x@example.com,42\n");
    expect(await describeJob(server, poolId, unknown.jobId)).toMatchObject({
      Status: "Failed",
      CompletionMessage: "The CSV file could not be read.",
      ImportedUsers: 0,
    });
    expect(await jobLog(server, poolId, unknown.jobId)).toEqual([
      "[FAILED] The CSV header has a column the user pool does not have: shoe_size.",
      "[INFO] Failed: 0 imported, 0 skipped, 0 failed.",
    ]);
    const requiring = await createPool(server, {
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "family_name", Required: true }],
    });
    const missing = await runImport(
      server,
      requiring,
      "cognito:username,email,email_verified\nx,x@example.com,true\n",
    );
    expect((await jobLog(server, requiring, missing.jobId))[0]).toBe(
      "[FAILED] The CSV header has no column for the required attribute family_name.",
    );
  });

  it("takes cognito:username as the email in pools that sign in with it, and names the user with a UUID", async () => {
    const poolId = await createPool(server, {
      AutoVerifiedAttributes: ["email"],
      UsernameAttributes: ["email"],
    });
    const { jobId } = await runImport(
      server,
      poolId,
      "cognito:username,email,email_verified\numa@example.com,uma@example.com,true\nvic@example.com,other@example.com,true\n",
    );
    expect(await describeJob(server, poolId, jobId)).toMatchObject({ ImportedUsers: 1, FailedUsers: 1 });
    expect(await jobLog(server, poolId, jobId)).toContain(
      "[FAILED] Line Number 3 - cognito:username must be the user's email, which the user pool signs in with.",
    );
    const uma = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "uma@example.com" }),
    );
    expect(uma.Username).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("imports users CONFIRMED in pools that offer sign-in codes", async () => {
    const poolId = await createPool(server, {
      AutoVerifiedAttributes: ["email"],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
      EmailConfiguration: {
        EmailSendingAccount: "DEVELOPER",
        SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/x",
      },
    });
    await runImport(server, poolId, "cognito:username,email,email_verified\nwes,wes@example.com,true\n");
    const wes = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "wes" }));
    expect(wes.UserStatus).toBe("CONFIRMED");
  });

  it("fails a job started without a file", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId);
    await server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    expect(await describeJob(server, poolId, job.JobId as string)).toMatchObject({
      Status: "Failed",
      CompletionMessage: "The CSV file could not be read.",
    });
    expect(await jobLog(server, poolId, job.JobId as string)).toContain(
      "[FAILED] No CSV file was uploaded for the job.",
    );
  });
});

describe("StartUserImportJob and StopUserImportJob", () => {
  it("start a Created job only, in a pool with an auto-verified attribute", async () => {
    const poolId = await emailPool();
    const { jobId } = await runImport(
      server,
      poolId,
      "cognito:username,email,email_verified\nzed,zed@example.com,true\n",
    );
    await expectError(
      server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId })),
      "PreconditionNotMetException",
      `Job ${jobId} is not in Created status.`,
    );
    await expectError(
      server.client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: jobId })),
      "PreconditionNotMetException",
      `Job ${jobId} is not in Pending or InProgress status.`,
    );
    const unverified = await createPool(server);
    const job = await createJob(server, unverified);
    await expectError(
      server.client.send(new StartUserImportJobCommand({ UserPoolId: unverified, JobId: job.JobId })),
      "PreconditionNotMetException",
      "Users can only be imported into a user pool with at least one auto-verified attribute.",
    );
    await expectError(
      server.client.send(
        new StartUserImportJobCommand({ UserPoolId: unverified, JobId: "import-unknown000" }),
      ),
      "ResourceNotFoundException",
      "Import job import-unknown000 does not exist.",
    );
  });

  it("allow one running job at a time, which holds off changes to its pool until stopped", async () => {
    const poolId = await emailPool();
    const running = await createJob(server, poolId);
    // A run of another instance holds the job.
    const stored = await server.services.store.userImports.get(running.JobId as string);
    await server.services.store.userImports.update({
      ...stored!,
      status: "InProgress",
      startedAt: new Date(),
      runner: "another-instance",
      leaseUntil: new Date(Date.now() + 3_600_000),
    });
    const other = await createJob(server, await emailPool());
    await expectError(
      server.client.send(new StartUserImportJobCommand({ UserPoolId: other.UserPoolId, JobId: other.JobId })),
      "PreconditionNotMetException",
      "An import job is already in progress.",
    );
    const inProgress = [
      "UserImportInProgressException",
      "A user import job is in progress for this user pool.",
    ] as const;
    await expectError(
      server.client.send(
        new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ["email"] }),
      ),
      ...inProgress,
    );
    await expectError(
      server.client.send(
        new AddCustomAttributesCommand({
          UserPoolId: poolId,
          CustomAttributes: [{ Name: "x", AttributeDataType: "String" }],
        }),
      ),
      ...inProgress,
    );
    await expectError(server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId })), ...inProgress);

    const stopped = await server.client.send(
      new StopUserImportJobCommand({ UserPoolId: poolId, JobId: running.JobId }),
    );
    expect(stopped.UserImportJob).toMatchObject({
      Status: "Stopped",
      CompletionMessage: "The Import Job was stopped by the developer.",
    });
    expect(stopped.UserImportJob?.CompletionDate).toBeInstanceOf(Date);
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect(await server.services.store.userImports.get(running.JobId as string)).toBeUndefined();
  });

  it("expire a job not started within a day", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId);
    advanceClock(server, 86_400_000);
    try {
      const expired = await describeJob(server, poolId, job.JobId as string);
      expect(expired).toMatchObject({
        Status: "Expired",
        CompletionMessage: "The user import job has expired.",
      });
      expect(expired.CompletionDate?.getTime()).toBe((job.CreationDate as Date).getTime() + 86_400_000);
      await expectError(
        server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
        "PreconditionNotMetException",
        `Job ${job.JobId} is not in Created status.`,
      );
    } finally {
      resetClock(server);
    }
  });
});

describe("DescribeUserImportJob and ListUserImportJobs", () => {
  it("describe a job of the pool only", async () => {
    const poolId = await emailPool();
    const job = await createJob(server, poolId);
    const described = await describeJob(server, poolId, job.JobId as string);
    expect(described).toEqual(job);
    await expectError(
      server.client.send(
        new DescribeUserImportJobCommand({ UserPoolId: await emailPool(), JobId: job.JobId as string }),
      ),
      "ResourceNotFoundException",
      `Import job ${job.JobId} does not exist.`,
    );
  });

  it("list the pool's jobs newest first, a page at a time", async () => {
    const poolId = await emailPool();
    const empty = await server.client.send(
      new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 10 }),
    );
    expect(empty.UserImportJobs).toEqual([]);
    expect(empty.PaginationToken).toBeUndefined();
    const ids: string[] = [];
    for (const name of ["one", "two", "three"])
      ids.push((await createJob(server, poolId, name)).JobId as string);
    const first = await server.client.send(
      new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }),
    );
    expect(first.UserImportJobs?.map((j) => j.JobName)).toEqual(["three", "two"]);
    expect(first.PaginationToken).toBeTruthy();
    const second = await server.client.send(
      new ListUserImportJobsCommand({
        UserPoolId: poolId,
        MaxResults: 2,
        PaginationToken: first.PaginationToken,
      }),
    );
    expect(second.UserImportJobs?.map((j) => j.JobId)).toEqual([ids[0]]);
    expect(second.PaginationToken).toBeUndefined();
    const missing = await server.call("ListUserImportJobs", { UserPoolId: poolId });
    expect(missing.body.__type).toBe("InvalidParameterException");
  });
});
