import { z } from 'zod';
import {
  ApiErrorSchema,
  CreateInterviewRequestSchema,
  CreateInterviewResponseSchema,
  InterviewDetailSchema,
  ReportSchema,
  InterviewListQuerySchema,
  InterviewListResponseSchema,
} from '../../shared/api/interview-api';
import { InterviewSummarySchema } from '../../shared/scoring/score-result';

const schema = (s: z.ZodType): unknown =>
  z.toJSONSchema(s, { unrepresentable: 'any', io: 'output' });
/** Request bodies as clients write them: fields with a default (identity_check) are optional. */
const requestSchema = (s: z.ZodType): unknown =>
  z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' });

/** Query parameters of GET /api/interviews, one per field of its zod schema. */
function listParameters(): unknown[] {
  return Object.entries(InterviewListQuerySchema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: z.toJSONSchema(field, { unrepresentable: 'any', io: 'input' }),
  }));
}

/** The parent-system API, described from the same zod schemas that validate it. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const error = { content: { 'application/json': { schema: schema(ApiErrorSchema) } } };
  const idParam = [
    { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
  ];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Live Interview API',
      version: '1.0.0',
      description:
        'Create interviews by candidate_hash and fetch their interview_summary. The summary reports attention and integrity signals for a human reviewer; it is not a hiring decision.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/interviews': {
        post: {
          summary: 'Create an interview',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: requestSchema(CreateInterviewRequestSchema) },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: schema(CreateInterviewResponseSchema) } },
            },
            '400': { description: 'Malformed body', ...error },
            '401': { description: 'Missing or wrong API key', ...error },
            '503': { description: 'LiveKit is not reachable; nothing was created', ...error },
          },
        },
        get: {
          summary: 'List interviews, filtered and paginated',
          description:
            "Answered from the store's indexes, newest first. Pass next_cursor as cursor for the next page.",
          parameters: listParameters(),
          responses: {
            '200': {
              description: 'Interviews, newest first; `next_offset` is null on the last page',
              content: {
                'application/json': { schema: schema(InterviewListResponseSchema) },
              },
            },
            '400': { description: 'Malformed filter, limit or cursor', ...error },
            '401': { description: 'Missing or wrong API key', ...error },
          },
        },
      },
      '/api/interviews/{id}': {
        get: {
          summary: 'Interview status and summary',
          parameters: idParam,
          responses: {
            '200': {
              description: 'OK',
              content: { 'application/json': { schema: schema(InterviewDetailSchema) } },
            },
            '404': { description: 'Unknown interview', ...error },
          },
        },
        delete: {
          summary: 'Delete the interview and its record',
          parameters: idParam,
          responses: { '204': { description: 'Deleted' } },
        },
      },
      '/api/interviews/{id}/report': {
        get: {
          summary: "The interviewer's report (flags with decisions, timeline, summary)",
          parameters: idParam,
          responses: {
            '200': {
              description: 'OK',
              content: { 'application/json': { schema: schema(ReportSchema) } },
            },
            '404': { description: 'Unknown interview', ...error },
          },
        },
      },
      '/api/interviews/{id}/summary': {
        get: {
          summary: 'The interview_summary of a completed interview',
          parameters: idParam,
          responses: {
            '200': {
              description: 'OK',
              content: {
                'application/json': {
                  schema: schema(
                    z.object({
                      id: z.string(),
                      candidate_hash: z.string(),
                      interview_summary: InterviewSummarySchema,
                    }),
                  ),
                },
              },
            },
            '409': { description: 'Not completed yet', ...error },
          },
        },
      },
      '/api/interviews/{id}/record': {
        get: {
          summary: 'The full session record (samples, events, flags, reviews)',
          parameters: idParam,
          responses: { '200': { description: 'OK' } },
        },
      },
      '/api/interviews/{id}/complete': {
        post: {
          summary: 'Complete the interview and close its room',
          parameters: idParam,
          responses: { '200': { description: 'OK' } },
        },
      },
    },
  };
}
